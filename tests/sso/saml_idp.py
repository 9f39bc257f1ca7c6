"""A real SAML 2.0 identity provider for the SSO tests, built with pysaml2 (which signs with Debian's `xmlsec1`;
`make test` installs it), in a child process on a loopback port.

    python tests/sso/saml_idp.py PORT

- GET  /metadata        its IdP metadata (entity id, HTTP-Redirect SSO endpoint, signing certificate);
- GET  /sso/redirect    takes the SP's AuthnRequest and asks who you are;
- POST /sp              registers a service provider: the body is its metadata (an admin's upload, in a real
  IdP; the tests read JobPilot's from allauth's metadata URL);
- POST /sso/login       with username (an email) and the password below: answers the SP's ACS with a signed
  Response carrying a signed Assertion (HTTP-POST binding: an auto-submitting form).

Like the OIDC test IdP, its people are whoever signs in with the password: the tests choose the identity, the
protocol (parsing the request, signing, the SP's verification) is all real."""

import datetime
import sys
import tempfile
from html import escape
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

IDP_PASSWORD = "idp-test-password"  # noqa: S105 - a throwaway local test IdP


def _key_and_certificate(directory: Path) -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test SAML IdP")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / "idp.key", directory / "idp.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return str(key_path), str(cert_path)


def make_idp(port: int) -> tuple[Server, IdPConfig]:
    base = f"http://127.0.0.1:{port}"
    directory = Path(tempfile.mkdtemp(prefix="saml-idp-"))
    key_file, cert_file = _key_and_certificate(directory)
    config = IdPConfig()
    config.load(
        {
            "entityid": f"{base}/metadata",
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [(f"{base}/sso/redirect", BINDING_HTTP_REDIRECT)]
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {"default": {"lifetime": {"minutes": 15}, "name_form": NAME_FORMAT_URI}},
                    "want_authn_requests_signed": False,
                }
            },
            "key_file": key_file,
            "cert_file": cert_file,
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "metadata": {},
        }
    )
    return Server(config=config), config


LOGIN_PAGE = """<!doctype html><title>Test SAML IdP</title>
<form method="post" action="/sso/login"><input name="username"><input name="password" type="password">
<input type="hidden" name="SAMLRequest" value="{request}"><input type="hidden" name="RelayState" value="{relay}">
<button>Sign in</button></form>"""


def application(server: Server, config: IdPConfig):
    def app(environ, start_response):
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]

        def answer(status: str, body: str, content_type: str = "text/html"):
            start_response(status, [("Content-Type", f"{content_type}; charset=utf-8")])
            return [body.encode()]

        if path == "/metadata":
            return answer("200 OK", create_metadata_string(None, config=config).decode(), "application/xml")
        if path == "/sp" and method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            server.metadata.load("inline", environ["wsgi.input"].read(length).decode())
            return answer("204 No Content", "")
        if path == "/sso/redirect" and method == "GET":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            return answer(
                "200 OK",
                LOGIN_PAGE.format(
                    request=escape(query.get("SAMLRequest", [""])[0]),
                    relay=escape(query.get("RelayState", [""])[0]),
                ),
            )
        if path == "/sso/login" and method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = {
                key: values[0]
                for key, values in parse_qs(environ["wsgi.input"].read(length).decode()).items()
            }
            if form.get("password") != IDP_PASSWORD or not form.get("username"):
                return answer("403 Forbidden", "wrong password")
            request = server.parse_authn_request(form["SAMLRequest"], BINDING_HTTP_REDIRECT).message
            email = form["username"].strip().lower()
            response = server.create_authn_response(
                identity={"mail": [email], "uid": [f"idp-{email}"]},
                in_response_to=request.id,
                destination=request.assertion_consumer_service_url,
                sp_entity_id=request.issuer.text,
                name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"idp-{email}"),
                authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
                sign_response=True,
                sign_assertion=True,
                sign_alg=SIG_RSA_SHA256,  # the SP refuses SHA-1 (python3-saml's rejectDeprecatedAlgorithm)
                digest_alg=DIGEST_SHA256,
            )
            post = server.apply_binding(
                BINDING_HTTP_POST,
                str(response),
                destination=request.assertion_consumer_service_url,
                relay_state=form.get("RelayState", ""),
                response=True,
            )
            return answer("200 OK", post["data"])
        return answer("404 Not Found", "not found")

    return app


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def main() -> None:
    port = int(sys.argv[1])
    server, config = make_idp(port)
    httpd = make_server(
        "127.0.0.1", port, application(server, config), server_class=_Server, handler_class=_QuietHandler
    )
    print("ready", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
