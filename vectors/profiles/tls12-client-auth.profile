# TLS 1.2 with client authentication (RFC 5246 7.4.4, 7.4.6, 7.4.8).
summary = TLS 1.2, client authentication
versions = 1.2
suites = TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
groups = secp256r1
client_auth = require
server.chain = pki/server-rsa2048.chain.pem
server.key = pki/server-rsa2048.key.pem
client.trust = pki/root-ca.crt.pem
sni = server.tlsdiff.test
client.chain = pki/client-rsa2048.chain.pem
client.key = pki/client-rsa2048.key.pem
server.trust = pki/client-ca.crt.pem
