# TLS 1.2 resumption with a session ticket (RFC 5077 3.1): the first
# connection's server announces a ticket (empty SessionTicket extension)
# and sends it in a NewSessionTicket before its ChangeCipherSpec; the
# second connection presents it and the server resumes the session
# (abbreviated handshake), with the extended master secret of both
# (RFC 7627 5.3).
summary = TLS 1.2, resumption by session ticket (RFC 5077)
versions = 1.2
suites = TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
groups = x25519
tickets = on
resume = ticket
server.chain = pki/server-rsa2048.chain.pem
server.key = pki/server-rsa2048.key.pem
client.trust = pki/root-ca.crt.pem
sni = server.tlsdiff.test
