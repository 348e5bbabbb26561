"""STRATAFOLIO: organizations and authorized computers, the QBWC web service, its HTTP app, the ledger of synced
records."""
