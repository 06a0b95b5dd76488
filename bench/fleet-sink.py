#!/usr/bin/env python3
"""A minimal server of osquery's TLS remote API for bench/tls-logger.sh: enrolls any node, serves the config file
given, accepts log requests and counts, per log_type, the requests, the lines and the request bytes as received on the
wire (gzip or not). Prints the counts as JSON to the file given when it receives SIGTERM. Loopback only."""
import gzip, json, signal, ssl, sys
from http.server import HTTPServer, BaseHTTPRequestHandler

port, cert, key, config_path, counts_path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
counts = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.loads(gzip.decompress(raw) if self.headers.get("Content-Encoding") == "gzip" else raw)
        if self.path.endswith("/enroll"):
            answer = {"node_key": "bench-node"}
        elif self.path.endswith("/config"):
            with open(config_path) as f:
                answer = json.load(f)
        elif self.path.endswith("/log"):
            c = counts.setdefault(body["log_type"], {"requests": 0, "lines": 0, "wire_bytes": 0, "json_bytes": 0})
            c["requests"] += 1
            c["lines"] += len(body["data"])
            c["wire_bytes"] += len(raw)
            c["json_bytes"] += len(gzip.decompress(raw)) if self.headers.get("Content-Encoding") == "gzip" else len(raw)
            if body["log_type"] == "result":
                names = c.setdefault("names", {})
                for line in body["data"]:
                    names[line["name"]] = names.get(line["name"], 0) + 1
            answer = {}
        else:
            answer = {"queries": {}}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def stop(*_):
    with open(counts_path, "w") as f:
        json.dump(counts, f)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
server = HTTPServer(("127.0.0.1", port), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
