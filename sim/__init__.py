"""wcsim: a deterministic simulator of QuickBooks Desktop, Web Connector and STRATAFOLIO (see README.md)."""
