"""Diagnosing a customer's QWCLog.txt by simulation: the log reader, sessions and signatures, candidate causes."""
