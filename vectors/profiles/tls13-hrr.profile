# TLS 1.3 forced into HelloRetryRequest (RFC 8446 4.1.4): the client sends a
# key share for X25519 only, the server accepts only P-256, and the server
# sends a cookie (RFC 8446 4.2.2) that the second ClientHello must echo.
summary = TLS 1.3, HelloRetryRequest with cookie
versions = 1.3
suites = TLS_CHACHA20_POLY1305_SHA256
client.groups = x25519, secp256r1
client.key_shares = x25519
server.groups = secp256r1
hrr_cookie = on
server.chain = pki/server-p256.chain.pem
server.key = pki/server-p256.key.pem
client.trust = pki/root-ca.crt.pem
sni = server.tlsdiff.test
