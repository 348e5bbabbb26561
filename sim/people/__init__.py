"""People: QuickBooks users on workday habits, STRATAFOLIO users billing tenants, and the admin actions the article
names."""
