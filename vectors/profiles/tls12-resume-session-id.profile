# TLS 1.2 resumption by session ID (RFC 5246 7.3, 7.4.1.2): a second
# connection offers the first one's session_id and the server resumes it.
summary = TLS 1.2, resumption by session ID
versions = 1.2
suites = TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
groups = secp256r1
tickets = off
resume = session_id
server.chain = pki/server-p256.chain.pem
server.key = pki/server-p256.key.pem
client.trust = pki/root-ca.crt.pem
sni = server.tlsdiff.test
