# TLS 1.2 ECDHE_ECDSA with AES-128-GCM (RFC 8422, RFC 5288).
summary = TLS 1.2, ECDHE-ECDSA-AES128-GCM-SHA256
versions = 1.2
suites = TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
groups = secp256r1
server.chain = pki/server-p256.chain.pem
server.key = pki/server-p256.key.pem
client.trust = pki/root-ca.crt.pem
sni = server.tlsdiff.test
