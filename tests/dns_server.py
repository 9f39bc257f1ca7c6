"""A real DNS server on 127.0.0.1 for tests: answers over UDP from a dict the test edits while it runs, so the
app's resolver (dnspython, pointed here by `DNS_NAMESERVERS`) is exercised end to end."""

import socket
import threading

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset


class LocalDnsServer:
    def __init__(self):
        self.records: dict[tuple[str, str], list[str]] = {}  # ("name.", "TXT") -> ['"value"']
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.settimeout(0.2)
        self.address = f"127.0.0.1:{self._socket.getsockname()[1]}"
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def publish(self, name: str, rdtype: str, *values: str) -> None:
        self.records[(name.rstrip(".").lower() + ".", rdtype)] = list(values)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stopped.set()
        self._thread.join(2)
        self._socket.close()

    def _serve(self):
        while not self._stopped.is_set():
            try:
                wire, client = self._socket.recvfrom(4096)
            except TimeoutError:
                continue
            query = dns.message.from_wire(wire)
            response = dns.message.make_response(query)
            response.flags |= dns.flags.AA
            question = query.question[0]
            name = question.name.to_text().lower()
            rdtype = dns.rdatatype.to_text(question.rdtype)
            values = self.records.get((name, rdtype))
            if values:
                response.answer.append(dns.rrset.from_text(name, 60, "IN", rdtype, *values))
            elif not any(known == name for known, _type in self.records):
                response.set_rcode(dns.rcode.NXDOMAIN)
            self._socket.sendto(response.to_wire(), client)
