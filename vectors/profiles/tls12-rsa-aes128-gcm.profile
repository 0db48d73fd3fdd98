# TLS 1.2 static RSA key exchange (RFC 5246 7.4.7.1: the client encrypts the
# premaster secret to the server's RSA key), AES-128-GCM (RFC 5288).
summary = TLS 1.2, static RSA, AES128-GCM-SHA256
versions = 1.2
suites = TLS_RSA_WITH_AES_128_GCM_SHA256
server.chain = pki/server-rsa2048.chain.pem
server.key = pki/server-rsa2048.key.pem
client.trust = pki/root-ca.crt.pem
sni = server.tlsdiff.test
