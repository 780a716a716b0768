package io.framewire.plugin.webrtc.ice;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unauthenticated STUN error responses are limited per source address; valid checks are not. */
class StunErrorRateLimitTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int SENT = 50;
    private IceLiteAgent agent;

    @BeforeEach
    void setUp() throws IOException {
        agent = new IceLiteAgent(new InetSocketAddress(LOOPBACK, 0));
        agent.setRemoteCredentials("rmtU", "remotepasswordremotepassword");
        agent.start();
    }

    @AfterEach
    void tearDown() {
        agent.close();
    }

    /** A Binding request without MESSAGE-INTEGRITY: the agent answers 400 (about 3x its size). */
    private static byte[] badRequest() {
        return new StunMessage(StunMessage.BINDING_REQUEST, StunMessage.newTransactionId())
                .addUsername("x:y").encode(null, false);
    }

    /** @return how many error responses arrive within 500 ms after the last request */
    private int floodAndCount(DatagramSocket from, int requests) throws IOException {
        for (int i = 0; i < requests; i++) {
            byte[] b = badRequest();
            from.send(new DatagramPacket(b, b.length, agent.localAddress()));
        }
        int replies = 0;
        from.setSoTimeout(500);
        byte[] buf = new byte[1500];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                from.receive(p);
            } catch (SocketTimeoutException e) {
                return replies;
            }
            assertEquals(StunMessage.BINDING_ERROR, StunMessage.decode(buf, 0, p.getLength()).type());
            replies++;
        }
    }

    @Test
    void manyBadRequestsFromOneSourceGetOnlyTheBurstAnsweredAndTheRestAreCounted() throws Exception {
        try (DatagramSocket attacker = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            int replies = floodAndCount(attacker, SENT);
            // the burst, plus at most one token refilled while the 50 requests were in flight
            assertTrue(replies >= ErrorReplyLimiter.BURST && replies <= ErrorReplyLimiter.BURST + 1,
                    "replies to " + SENT + " bad requests: " + replies);
            assertEquals(SENT - replies, agent.errorRepliesDropped());

            // a valid check from the same source is answered: only error replies are limited
            StunMessage ok = IceLiteAgentTest.check(attacker, agent, agent.localUfrag() + ":rmtU", agent.localPassword(), true);
            assertEquals(StunMessage.BINDING_SUCCESS, ok.type());
        }
    }

    @Test
    void anotherSourceAddressHasItsOwnBucket() throws Exception {
        try (DatagramSocket first = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket samePortRange = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            assertTrue(floodAndCount(first, 20) <= ErrorReplyLimiter.BURST + 1);
            assertTrue(floodAndCount(samePortRange, 20) <= 2, "another port of the same IP shares its (nearly empty) bucket");
        }
        InetAddress other = InetAddress.getByName("127.0.0.2"); // Linux routes all of 127/8 to lo
        try (DatagramSocket second = new DatagramSocket(new InetSocketAddress(other, 0))) {
            assertTrue(floodAndCount(second, 20) >= ErrorReplyLimiter.BURST, "a fresh source gets its burst");
        }
    }

    @Test
    void theBucketRefillsAtItsRateAndForgetsTheLeastRecentSources() {
        ErrorReplyLimiter limiter = new ErrorReplyLimiter();
        InetAddress a = InetAddress.getLoopbackAddress();
        long t = 1_000_000_000L;
        for (int i = 0; i < ErrorReplyLimiter.BURST; i++) {
            assertTrue(limiter.tryAcquire(a, t));
        }
        assertFalse(limiter.tryAcquire(a, t), "burst spent");
        assertFalse(limiter.tryAcquire(a, t + 400_000_000L), "0.8 token after 400 ms at 2/s");
        assertTrue(limiter.tryAcquire(a, t + 500_000_000L), "one token after 500 ms");
        for (int i = 0; i < ErrorReplyLimiter.MAX_SOURCES + 10; i++) {
            byte[] ip = {10, 0, (byte) (i >> 8), (byte) i};
            try {
                limiter.tryAcquire(InetAddress.getByAddress(ip), t);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        assertEquals(ErrorReplyLimiter.MAX_SOURCES, limiter.sources(), "memory stays bounded");
    }
}
