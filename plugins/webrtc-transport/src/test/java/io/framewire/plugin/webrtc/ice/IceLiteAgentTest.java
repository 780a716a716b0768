package io.framewire.plugin.webrtc.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IceLiteAgentTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private IceLiteAgent agent;
    private DatagramSocket client;

    @BeforeEach
    void setUp() throws IOException {
        agent = new IceLiteAgent(new InetSocketAddress(LOOPBACK, 0));
        agent.setRemoteCredentials("rmtU", "remotepasswordremotepassword");
        agent.start();
        client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        client.setSoTimeout(3000);
    }

    @AfterEach
    void tearDown() {
        agent.close();
        client.close();
    }

    /** Sends a Binding request like a full controlling agent (Chrome) and returns the decoded answer. */
    static StunMessage check(DatagramSocket client, IceLiteAgent agent, String username, String password,
                             boolean useCandidate) throws IOException {
        byte[] tid = StunMessage.newTransactionId();
        StunMessage req = new StunMessage(StunMessage.BINDING_REQUEST, tid)
                .addUsername(username)
                .addPriority(1853824767L)
                .addIceControlling(42L);
        if (useCandidate) {
            req.addUseCandidate();
        }
        byte[] b = req.encode(password.getBytes(StandardCharsets.UTF_8), true);
        client.send(new DatagramPacket(b, b.length, agent.localAddress()));
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        client.receive(p);
        StunMessage resp = StunMessage.decode(buf, 0, p.getLength());
        assertArrayEquals(tid, resp.transactionId());
        return resp;
    }

    @Test
    void credentialsHaveIceLengths() {
        assertTrue(agent.localUfrag().length() >= 4 && agent.localUfrag().matches("[A-Za-z0-9+/]+"));
        assertTrue(agent.localPassword().length() >= 22 && agent.localPassword().matches("[A-Za-z0-9+/]+"));
        assertTrue(agent.localAddress().getPort() > 0);
    }

    @Test
    void validCheckWithUseCandidateGetsSuccessAndSelects() throws IOException {
        assertNull(agent.selectedAddress());
        StunMessage resp = check(client, agent, agent.localUfrag() + ":rmtU", agent.localPassword(), true);
        assertEquals(StunMessage.BINDING_SUCCESS, resp.type());
        assertTrue(resp.checkIntegrity(agent.localPassword().getBytes(StandardCharsets.UTF_8)));
        assertTrue(resp.checkFingerprint());
        assertEquals(client.getLocalSocketAddress(), resp.xorMappedAddress());
        assertEquals(client.getLocalSocketAddress(), agent.selectedAddress());
        assertTrue(agent.millisSinceLastConsent() < 5000);
        assertFalse(agent.isConsentExpired());
    }

    @Test
    void wrongPasswordGets401AndNoSelection() throws IOException {
        StunMessage resp = check(client, agent, agent.localUfrag() + ":rmtU", "notthepasswordnotthepassword", true);
        assertEquals(StunMessage.BINDING_ERROR, resp.type());
        assertEquals(401, resp.errorCode());
        assertTrue(resp.checkFingerprint());
        assertNull(agent.selectedAddress());
        assertThrows(IOException.class, () -> agent.send(new byte[] {(byte) 0x80}));
    }

    @Test
    void wrongUsernameGets401() throws IOException {
        assertEquals(401, check(client, agent, agent.localUfrag() + ":other", agent.localPassword(), true).errorCode());
        assertEquals(401, check(client, agent, "nope:rmtU", agent.localPassword(), true).errorCode());
        assertNull(agent.selectedAddress());
    }

    @Test
    void anotherAgentsPasswordDoesNotValidate() throws IOException {
        // Both agents register their passwords in the one ice4j stack: neither may answer for the other.
        try (IceLiteAgent other = new IceLiteAgent(new InetSocketAddress(LOOPBACK, 0))) {
            other.setRemoteCredentials("rmtU", "remotepasswordremotepassword");
            other.start();
            assertEquals(401, check(client, agent, agent.localUfrag() + ":rmtU", other.localPassword(), true)
                    .errorCode());
            assertEquals(StunMessage.BINDING_SUCCESS,
                    check(client, other, other.localUfrag() + ":rmtU", other.localPassword(), true).type());
            assertNull(agent.selectedAddress());
        }
        assertEquals(StunMessage.BINDING_SUCCESS,
                check(client, agent, agent.localUfrag() + ":rmtU", agent.localPassword(), true).type());
    }

    @Test
    void requestWithAWrongFingerprintIsDropped() throws IOException {
        byte[] b = new StunMessage(StunMessage.BINDING_REQUEST, StunMessage.newTransactionId())
                .addUsername(agent.localUfrag() + ":rmtU")
                .encode(agent.localPassword().getBytes(StandardCharsets.UTF_8), true);
        b[b.length - 1] ^= 0x01;
        client.send(new DatagramPacket(b, b.length, agent.localAddress()));
        client.setSoTimeout(300);
        assertThrows(java.net.SocketTimeoutException.class,
                () -> client.receive(new DatagramPacket(new byte[1500], 1500)));
        assertNull(agent.selectedAddress());
    }

    @Test
    void requestWithoutIntegrityGets400() throws IOException {
        byte[] b = new StunMessage(StunMessage.BINDING_REQUEST, StunMessage.newTransactionId())
                .addUsername(agent.localUfrag() + ":rmtU").encode(null, true);
        client.send(new DatagramPacket(b, b.length, agent.localAddress()));
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        client.receive(p);
        assertEquals(400, StunMessage.decode(buf, 0, p.getLength()).errorCode());
        assertNull(agent.selectedAddress());
    }

    @Test
    void demuxDeliversDtlsAndRtpToTheirHandlersOnlyFromValidatedAddresses() throws Exception {
        BlockingQueue<byte[]> dtls = new ArrayBlockingQueue<>(10);
        BlockingQueue<byte[]> media = new ArrayBlockingQueue<>(10);
        agent.setDtlsHandler((d, o, l, from) -> dtls.add(Arrays.copyOfRange(d, o, o + l)));
        agent.setMediaHandler((d, o, l, from) -> media.add(Arrays.copyOfRange(d, o, o + l)));
        byte[] dtlsRecord = {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 1, 2, 3};
        byte[] rtp = {(byte) 0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 42};
        byte[] rtcp = {(byte) 0x81, (byte) 200, 0, 1, 0, 0, 0, 9};

        // Not validated yet: dropped.
        client.send(new DatagramPacket(dtlsRecord, dtlsRecord.length, agent.localAddress()));
        assertNull(dtls.poll(300, TimeUnit.MILLISECONDS));

        // First valid check (without USE-CANDIDATE) validates and, for lite simplicity, selects.
        assertEquals(StunMessage.BINDING_SUCCESS,
                check(client, agent, agent.localUfrag() + ":rmtU", agent.localPassword(), false).type());
        assertEquals(client.getLocalSocketAddress(), agent.selectedAddress());

        client.send(new DatagramPacket(dtlsRecord, dtlsRecord.length, agent.localAddress()));
        client.send(new DatagramPacket(rtp, rtp.length, agent.localAddress()));
        client.send(new DatagramPacket(rtcp, rtcp.length, agent.localAddress()));
        assertArrayEquals(dtlsRecord, dtls.poll(3, TimeUnit.SECONDS));
        assertArrayEquals(rtp, media.poll(3, TimeUnit.SECONDS));
        assertArrayEquals(rtcp, media.poll(3, TimeUnit.SECONDS));
        assertNull(dtls.poll(100, TimeUnit.MILLISECONDS));

        // send() goes to the selected address.
        agent.send(new byte[] {(byte) 0x80, 1, 2});
        byte[] buf = new byte[100];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        client.receive(p);
        assertEquals(3, p.getLength());
    }

    @Test
    void useCandidateMovesTheSelection() throws IOException {
        try (DatagramSocket second = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            second.setSoTimeout(3000);
            check(client, agent, agent.localUfrag() + ":rmtU", agent.localPassword(), false);
            assertEquals(client.getLocalSocketAddress(), agent.selectedAddress());
            check(second, agent, agent.localUfrag() + ":rmtU", agent.localPassword(), false);
            assertEquals(client.getLocalSocketAddress(), agent.selectedAddress(), "no nomination: keep the first");
            check(second, agent, agent.localUfrag() + ":rmtU", agent.localPassword(), true);
            assertEquals(second.getLocalSocketAddress(), agent.selectedAddress());
        }
    }

    @Test
    void closeStopsTheThreadAndReleasesThePort() throws Exception {
        String name = IceLiteAgent.THREAD_NAME_PREFIX + agent.localAddress().getPort();
        assertTrue(threadAlive(name));
        InetSocketAddress addr = agent.localAddress();
        agent.close();
        assertFalse(threadAlive(name), "receive thread must be gone after close()");
        try (IceLiteAgent again = new IceLiteAgent(addr)) {
            assertNotNull(again.localAddress());
        }
        assertThrows(IOException.class, () -> agent.send(new byte[1]));
    }

    static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
