"""The query side on SQL: ServicioConsultas served from the read models (consultas), the
documents' reads into their views (documentos), and the catalog read outside commands
(catalogo)."""
