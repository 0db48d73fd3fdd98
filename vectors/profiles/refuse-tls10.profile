# A client that offers only TLS 1.0 against a server that accepts TLS 1.2 and 1.3.
# RFC 8446 D.2: "If the supported_versions extension is absent and the server
# only supports versions greater than ClientHello.legacy_version, the server
# MUST abort the handshake with a protocol_version alert." (Also RFC 8996 4-5
# for TLS 1.0/1.1 and RFC 7568 3 for SSLv3.)
summary = TLS 1.0 only: refused
client.versions = 1.0
server.versions = 1.2-1.3
client.suites = TLS_RSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
expect_alert = protocol_version
server.chain = pki/server-rsa2048.chain.pem
server.key = pki/server-rsa2048.key.pem
client.trust = pki/root-ca.crt.pem
sni = server.tlsdiff.test
