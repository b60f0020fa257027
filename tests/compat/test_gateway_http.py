"""The gateway through `requests`: seed 002's gateway scenarios and bad input classes."""
import requests

from conftest import API_KEY, PASSWORD, USER


def test_smk001_health(gateway):
    reply = requests.get(gateway + "/health")
    assert reply.status_code == 200
    assert reply.json() == {"status": "healthy"}


def test_std007_no_token_is_401(gateway):
    assert requests.post(gateway + "/api/echo", json={"message": "x"}).status_code == 401


def test_std008_unknown_route_is_404(gateway, token):
    reply = requests.get(gateway + "/api/nonexistent", headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 404
    assert reply.headers["Content-Type"].startswith("application/json")


def test_smk003_python_echo(gateway, token):
    reply = requests.post(gateway + "/api/connectivity/python", json={"action": "echo", "message": "smoke-python"},
                          headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 200
    body = reply.json()
    assert body == {"success": True, "action": "echo", "message": "Echo: smoke-python"}


def test_rtp001_echo_names_the_user(gateway, token):
    reply = requests.post(gateway + "/api/echo", json={"message": "hello-basic"},
                          headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 200
    assert reply.json()["message"] == "Echo: hello-basic"
    assert reply.json()["user"] == USER


def test_malformed_auth_body_is_400(gateway):
    reply = requests.post(gateway + "/user/auth/v1", data="{not json", headers={"x-api-key": API_KEY})
    assert reply.status_code == 400


def test_wrong_credentials_are_401(gateway):
    for key, password in [("nope", PASSWORD), (API_KEY, "nope")]:
        reply = requests.post(gateway + "/user/auth/v1", headers={"x-api-key": key},
                              json={"AuthParameters": {"USERNAME": USER, "PASSWORD": password}})
        assert reply.status_code == 401
        assert reply.json() == {"message": "Unauthorized"}


def test_jwks_verifies_issued_tokens(gateway, token):
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
    import base64

    def b64(text):
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    key = requests.get(gateway + "/.well-known/jwks.json").json()["keys"][0]
    public = ec.EllipticCurvePublicNumbers(int.from_bytes(b64(key["x"]), "big"), int.from_bytes(b64(key["y"]), "big"),
                                           ec.SECP256R1()).public_key()
    header, claims, signature = token.split(".")
    raw = b64(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))


def test_function_crash_is_502_with_error_type(gateway, token):
    reply = requests.post(gateway + "/api/faulty", json={"action": "crash"}, headers={"Authorization": f"Bearer {token}"})
    assert reply.status_code == 502
    assert reply.json()["errorType"] == "Runtime.ExitError"
