# TLS 1.3 with client authentication (RFC 8446 4.3.2, 4.4.2, 4.4.3): the
# server requires a certificate, the client presents an ECDSA P-256 one.
summary = TLS 1.3, client authentication
versions = 1.3
suites = TLS_AES_128_GCM_SHA256
groups = x25519
client_auth = require
server.chain = pki/server-p256.chain.pem
server.key = pki/server-p256.key.pem
client.trust = pki/root-ca.crt.pem
sni = server.tlsdiff.test
client.chain = pki/client-p256.chain.pem
client.key = pki/client-p256.key.pem
server.trust = pki/client-ca.crt.pem
