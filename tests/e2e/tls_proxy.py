"""Real nginx terminating TLS in front of sluice, for the tests that reach
sluice the way a deployment does (test_sdk_https.py, test_hls_behind_nginx.py):
a private CA and server certificates made with openssl, and an unprivileged
nginx (daemon off, every path in a temp directory) on loopback ports."""

import base64
import hashlib
import os
import shutil
import socket
import subprocess

import harness
from harness import wait_until

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"


def missing():
    """The tools this module runs that are absent ("" if none)."""
    absent = [tool for tool in (NGINX, OPENSSL) if not os.path.isfile(tool)]
    return f"{', '.join(absent)} not installed (scripts/install-deps.sh --test)" if absent else ""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def openssl(*args, cwd):
    cp = harness.run([OPENSSL, *args], 30, cwd=cwd)
    if cp.returncode != 0:
        raise AssertionError(f"openssl {' '.join(args)}: {cp.stderr.decode(errors='replace')}")
    return cp.stdout


def make_certificates(d, names):
    """In d: a private CA (ca.pem, ca.key) and, for each name → subjectAltName
    in `names` (e.g. {"local": "IP:127.0.0.1"}), NAME.pem and NAME.key signed
    by it."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=sluice test CA",
            "-keyout", "ca.key", "-out", "ca.pem", cwd=d)
    for name, san in names.items():
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}", "-keyout", f"{name}.key",
                "-out", f"{name}.csr", cwd=d)
        with open(os.path.join(d, f"{name}.ext"), "w") as f:
            f.write(f"subjectAltName={san}\n")
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", f"{name}.ext", "-out", f"{name}.pem", cwd=d)


def spki_sha256_base64(d, cert):
    """The base64 SHA-256 of cert's public key (SubjectPublicKeyInfo), what
    Chromium's --ignore-certificate-errors-spki-list takes."""
    pem = openssl("x509", "-in", cert, "-noout", "-pubkey", cwd=d).decode()
    # A "PUBLIC KEY" PEM's body is the DER SubjectPublicKeyInfo itself.
    der = base64.b64decode("".join(l for l in pem.splitlines() if l and not l.startswith("-----")))
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


def nginx_conf(d, servers):
    """A whole nginx.conf for an unprivileged nginx keeping everything in d,
    with `servers` (server blocks) in its http block."""
    return f"""
worker_processes 1;
daemon off;
master_process off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {d}/body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
{servers}
}}
"""


def start_nginx(d, conf_text, ports):
    """Writes d/nginx.conf and starts nginx on it; returns the Popen once all
    `ports` accept connections (AssertionError with nginx's error log if not)."""
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write(conf_text)
    with open(os.path.join(d, "nginx.out"), "wb") as log:
        nginx = subprocess.Popen([NGINX, "-e", os.path.join(d, "error.log"), "-p", d + "/", "-c", conf],
                                 stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    listening = lambda: all(port_open(p) for p in ports)
    if not wait_until(lambda: listening() or nginx.poll() is not None, 10) or not listening():
        harness.kill_process(nginx)
        raise AssertionError("nginx is not listening: " + harness.read_text(os.path.join(d, "error.log")) +
                             harness.read_text(os.path.join(d, "nginx.out")))
    return nginx
