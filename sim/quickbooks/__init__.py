"""QuickBooks Desktop: company files, the desktop application, who has which file open, the request processor and its
HRESULTs, qbXML."""
