"""Electronic documents for the SRI (issues 14 and 15 fill this room): the XML of a
factura or nota de crédito built from its emission event, its XAdES-BES signature, the
RIDE, and the client of the SRI's web services. They implement the ports of
application/sri.py and run as reactions that follow the event log from a checkpoint, never
inside an emission's transaction (../shared/DESIGN.md, "Electronic documents")."""
