"""The people's screens: server-rendered pages (Jinja2, htmx) over the application
services, mounted under `/` by the HTTP API's app. They reach the services through
bootstrap's `Servicios`, never the JSON API over HTTP."""
