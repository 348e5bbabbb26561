"""The package's own exception hierarchy.

Every failure that bad input or an impossible request can cause is raised as a
subclass of `SimError`, with a message that names the problem and where it is, so
the command line can print one line and exit 2 instead of showing a traceback.
Failures that the *simulated* systems report to each other (an HRESULT from the
request processor, a QBWC10xx error) are not Python errors of the caller: they are
modelled as values or as the dedicated classes below, which carry the code.
"""

from __future__ import annotations

__all__ = [
    "SimError",
    "ConfigurationError",
    "UnknownHostError",
    "NoSuchDriveError",
    "NoSuchShareError",
    "FileOperationError",
    "FileInUseError",
    "RegistryError",
    "CompanyFileError",
    "CorruptCompanyFileError",
    "UnknownQuickBooksUserError",
    "QuickBooksError",
    "QWCError",
    "PermissionDeniedError",
    "HostUnavailableError",
    "LivelockError",
]


class SimError(Exception):
    """Base class of every error this package raises on purpose."""


class ConfigurationError(SimError, ValueError):
    """An argument or setting that cannot describe a valid simulation."""


class UnknownHostError(SimError, LookupError):
    """A host name that the world does not know."""


class NoSuchDriveError(SimError, LookupError):
    """A path on a drive letter that the host neither has nor maps."""


class NoSuchShareError(SimError, LookupError):
    """A UNC path naming a server or share that does not exist."""


class FileOperationError(SimError, OSError):
    """A filesystem operation failed the way Windows would make it fail."""


class FileInUseError(FileOperationError):
    """The file (or a file below the folder) is held open by a program, as
    Windows refuses to rename or move a file another process has open."""


class RegistryError(SimError, LookupError):
    """A registry key or value that does not exist, or a malformed registry path."""


class CompanyFileError(SimError):
    """A company file problem seen by the caller (not by the simulated SDK)."""


class CorruptCompanyFileError(CompanyFileError, ValueError):
    """The bytes at a .QBW path are not a company file this simulator wrote."""


class UnknownQuickBooksUserError(CompanyFileError, LookupError):
    """A QuickBooks user name the company file does not have."""


class QuickBooksError(SimError):
    """An SDK failure with its HRESULT, raised by the request processor.

    The Web Connector catches it and passes the code on through
    connectionError or receiveResponseXML, as the real one does.
    """

    def __init__(self, hresult: int, message: str) -> None:
        super().__init__(f"0x{hresult:08X}: {message}")
        self.hresult = hresult
        self.message = message

    @property
    def code(self) -> str:
        return f"0x{self.hresult:08X}"


class QWCError(SimError):
    """A QWC file the Web Connector refuses, with the QBWC10xx code it shows."""

    def __init__(self, code: str, message: str, where: str = "") -> None:
        text = f"{code}: {message}"
        if where:
            text = f"{where}: {text}"
        super().__init__(text)
        self.code = code
        self.message = message
        self.where = where


class PermissionDeniedError(SimError, PermissionError):
    """An action the acting person's role does not allow (STRATAFOLIO or QuickBooks)."""


class HostUnavailableError(SimError):
    """An action that needs a host to be on and awake, tried while it is not."""


class LivelockError(SimError):
    """A simulation whose clock stopped moving while events kept coming (World's guard)."""
