# TLS 1.2 ECDHE_RSA with ChaCha20-Poly1305 (RFC 7905).
summary = TLS 1.2, ECDHE-RSA-CHACHA20-POLY1305
versions = 1.2
suites = TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
groups = x25519
server.chain = pki/server-rsa2048.chain.pem
server.key = pki/server-rsa2048.key.pem
client.trust = pki/root-ca.crt.pem
sni = server.tlsdiff.test
