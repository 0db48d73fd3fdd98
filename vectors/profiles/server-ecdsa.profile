# The reference server for real clients (tlsdiff serve --profile
# server-ecdsa): an ECDSA P-256 certificate, TLS 1.2 and 1.3, the engine's
# default lists (the whole supported set, issue 4; TLS 1.2: the
# ECDHE_ECDSA suites the key can serve). No client authentication.
summary = serve: ECDSA P-256, TLS 1.2-1.3, every supported suite, group and scheme
versions = 1.2-1.3
server.chain = pki/server-p256.chain.pem
server.key = pki/server-p256.key.pem
client.trust = pki/root-ca.crt.pem
sni = server.tlsdiff.test
