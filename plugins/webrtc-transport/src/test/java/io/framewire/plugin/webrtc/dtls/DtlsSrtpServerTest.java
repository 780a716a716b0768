package io.framewire.plugin.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.plugin.webrtc.ice.IceLiteAgent;
import io.framewire.plugin.webrtc.ice.StunMessage;
import io.framewire.plugin.webrtc.srtp.SrtpContext;
import io.framewire.plugin.webrtc.srtp.SrtpKeyMaterial;
import io.framewire.plugin.webrtc.srtp.SrtpProfile;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.UDPTransport;
import org.junit.jupiter.api.Test;

/** Full DTLS-SRTP handshakes over loopback UDP: bctls client ↔ IceLiteAgent + DtlsSrtpServer. */
class DtlsSrtpServerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** ICE connectivity check from the client's socket so the agent validates and selects it. */
    static void iceCheck(DatagramSocket socket, IceLiteAgent agent) throws IOException {
        byte[] req = new StunMessage(StunMessage.BINDING_REQUEST, StunMessage.newTransactionId())
                .addUsername(agent.localUfrag() + ":cli1")
                .addIceControlling(7)
                .addUseCandidate()
                .encode(agent.localPassword().getBytes(StandardCharsets.UTF_8), true);
        socket.send(new DatagramPacket(req, req.length, agent.localAddress()));
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        assertEquals(StunMessage.BINDING_SUCCESS, StunMessage.decode(buf, 0, p.getLength()).type());
    }

    static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void certificateFingerprintIsSdpFormatted() {
        DtlsCertificate c = DtlsCertificate.generate();
        assertTrue(c.fingerprint().matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"), c.fingerprint());
        assertTrue(DtlsCertificate.matches(c.fingerprint().toLowerCase(), c.encoded()));
        assertFalse(DtlsCertificate.matches(DtlsCertificate.generate().fingerprint(), c.encoded()));
    }

    @Test
    void handshakeExportsEqualKeysAndServerSrtpDecryptsOnClient() throws Exception {
        DtlsCertificate serverCert = DtlsCertificate.generate();
        DtlsCertificate clientCert = DtlsCertificate.generate("browser");
        IceLiteAgent agent = new IceLiteAgent(new InetSocketAddress(LOOPBACK, 0));
        int port = agent.localAddress().getPort();
        agent.setRemoteCredentials("cli1", "clientpasswordclientpassword");
        agent.start();
        DtlsSrtpServer server = new DtlsSrtpServer(agent, serverCert, clientCert.fingerprint());
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            socket.setSoTimeout(5000);
            iceCheck(socket, agent);
            server.start(TIMEOUT);
            assertTrue(threadAlive(DtlsSrtpServer.THREAD_NAME_PREFIX + port));

            socket.connect(agent.localAddress());
            DtlsSrtpClient client = new DtlsSrtpClient(clientCert, serverCert.fingerprint(), 0x0007, 0x0001);
            DTLSTransport clientDtls = new DTLSClientProtocol().connect(client, new UDPTransport(socket, 1500));

            try (SrtpKeyMaterial keys = server.awaitKeys(TIMEOUT)) {
                assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, keys.profile());
                assertTrue(server.isConnected());
                byte[] clientExport = client.exportSrtp(SrtpKeyMaterial.exportLength(keys.profile()));
                byte[] serverExport = new byte[60];
                System.arraycopy(keys.clientMasterKey(), 0, serverExport, 0, 16);
                System.arraycopy(keys.serverMasterKey(), 0, serverExport, 16, 16);
                System.arraycopy(keys.clientMasterSalt(), 0, serverExport, 32, 14);
                System.arraycopy(keys.serverMasterSalt(), 0, serverExport, 46, 14);
                assertArrayEquals(clientExport, serverExport, "both sides must export the same SRTP keys");

                // Server protects RTP with the server write key and sends it through the agent.
                byte[] rtp = new byte[12 + 200];
                rtp[0] = (byte) 0x80;
                rtp[1] = 96;
                rtp[3] = 1;
                rtp[11] = 0x42;
                for (int i = 12; i < rtp.length; i++) {
                    rtp[i] = (byte) (i * 3);
                }
                try (SrtpContext out = keys.outboundContext(true)) {
                    agent.send(out.protectRtp(rtp));
                }
                byte[] buf = new byte[1500];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                byte[] srtp = Arrays.copyOf(buf, p.getLength());
                assertFalse(Arrays.equals(Arrays.copyOf(rtp, 212), Arrays.copyOf(srtp, 212)));

                byte[] serverKey = Arrays.copyOfRange(clientExport, 16, 32);
                byte[] serverSalt = Arrays.copyOfRange(clientExport, 46, 60);
                try (SrtpContext clientIn = new SrtpContext(SrtpProfile.AES_CM_128_HMAC_SHA1_80, serverKey, serverSalt)) {
                    assertArrayEquals(rtp, clientIn.unprotectRtp(srtp));
                }
            }
            clientDtls.close();
        } finally {
            server.close();
            agent.close();
        }
        assertFalse(threadAlive(DtlsSrtpServer.THREAD_NAME_PREFIX + port), "DTLS thread left after close()");
        assertFalse(threadAlive(IceLiteAgent.THREAD_NAME_PREFIX + port), "ICE thread left after close()");
    }

    @Test
    void fingerprintMismatchFailsTheHandshakeClearly() throws Exception {
        DtlsCertificate serverCert = DtlsCertificate.generate();
        DtlsCertificate clientCert = DtlsCertificate.generate("browser");
        DtlsCertificate sdpCert = DtlsCertificate.generate("someone-else");
        try (IceLiteAgent agent = new IceLiteAgent(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            agent.start();
            DtlsSrtpServer server = new DtlsSrtpServer(agent, serverCert, sdpCert.fingerprint());
            try {
                socket.setSoTimeout(5000);
                iceCheck(socket, agent);
                server.start(TIMEOUT);
                socket.connect(agent.localAddress());
                DtlsSrtpClient client = new DtlsSrtpClient(clientCert, serverCert.fingerprint(), 0x0001);
                assertThrows(IOException.class,
                        () -> new DTLSClientProtocol().connect(client, new UDPTransport(socket, 1500)));
                DtlsHandshakeException e = assertThrows(DtlsHandshakeException.class, () -> server.awaitKeys(TIMEOUT));
                assertTrue(e.getMessage().contains("fingerprint mismatch"), e.getMessage());
                assertTrue(e.getMessage().contains(clientCert.fingerprint()), e.getMessage());
                assertFalse(server.isConnected());
            } finally {
                server.close();
            }
        }
    }

    @Test
    void clientWithoutCommonSrtpProfileIsRejected() throws Exception {
        DtlsCertificate serverCert = DtlsCertificate.generate();
        DtlsCertificate clientCert = DtlsCertificate.generate("browser");
        try (IceLiteAgent agent = new IceLiteAgent(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            agent.start();
            DtlsSrtpServer server = new DtlsSrtpServer(agent, serverCert, clientCert.fingerprint());
            try {
                socket.setSoTimeout(5000);
                iceCheck(socket, agent);
                server.start(TIMEOUT);
                socket.connect(agent.localAddress());
                DtlsSrtpClient client = new DtlsSrtpClient(clientCert, serverCert.fingerprint(), 0x0002); // SHA1_32 only
                client.timeoutMillis = 2000; // bctls aborts a ClientHello it rejects without an alert
                assertThrows(IOException.class,
                        () -> new DTLSClientProtocol().connect(client, new UDPTransport(socket, 1500)));
                DtlsHandshakeException e = assertThrows(DtlsHandshakeException.class, () -> server.awaitKeys(TIMEOUT));
                assertTrue(e.getMessage().contains("SRTP protection profile"), e.getMessage());
            } finally {
                server.close();
            }
        }
    }

    @Test
    void closeDuringHandshakeStopsTheThread() throws Exception {
        try (IceLiteAgent agent = new IceLiteAgent(new InetSocketAddress(LOOPBACK, 0))) {
            agent.start();
            int port = agent.localAddress().getPort();
            DtlsSrtpServer server = new DtlsSrtpServer(agent, DtlsCertificate.generate(),
                    DtlsCertificate.generate().fingerprint());
            server.start(Duration.ofSeconds(60));
            assertTrue(threadAlive(DtlsSrtpServer.THREAD_NAME_PREFIX + port));
            long t0 = System.nanoTime();
            server.close();
            assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "close() must not wait for the handshake timeout");
            assertFalse(threadAlive(DtlsSrtpServer.THREAD_NAME_PREFIX + port));
            assertThrows(DtlsHandshakeException.class, () -> server.awaitKeys(Duration.ofSeconds(1)));
        }
    }
}
