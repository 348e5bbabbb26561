"""The Web Connector: QWC files, the app list in the registry, update sessions, Auto-Run, QWCLog.txt, the callback
contract and its transports."""
