"""The HTTP transport never hangs: refused connections and silent servers become QBWC errors."""

import socket
import threading

import pytest

from sim.webconnector.contract import TransportError
from sim.webconnector.http_transport import HttpTransport
from tests.servers import free_port


def test_refused_connection_is_qbwc1012_during_authentication():
    transport = HttpTransport(f"http://127.0.0.1:{free_port()}/qbwc", timeout=2)
    with pytest.raises(TransportError) as caught:
        transport.call("authenticate", strUserName="u", strPassword="secret-pw")
    assert caught.value.code == "QBWC1012" and "could not reach" in caught.value.message
    assert "secret-pw" not in "\n".join(transport.transcript)


def test_a_server_that_never_answers_times_out():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    accepted = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True)
    thread.start()
    try:
        transport = HttpTransport(f"http://127.0.0.1:{listener.getsockname()[1]}/qbwc", timeout=0.5)
        with pytest.raises(TransportError) as caught:
            transport.call("getLastError", ticket="T")
        assert caught.value.code == "QBWC1043" and "within the session's 0.5 seconds" in caught.value.message
    finally:
        thread.join(timeout=5)
        for connection, _ in accepted:
            connection.close()
        listener.close()
