package io.framewire.plugin.webrtc.ice;

import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Response;
import org.ice4j.stack.StunStack;

/**
 * The one ice4j {@link StunStack} of the bundle, used only for what it offers without sockets:
 * its credentials registry (each {@link IceLiteAgent} registers its own password), MESSAGE-INTEGRITY
 * validation and message encoding. The agents own their UDP sockets.
 *
 * <p>Why a holder: ice4j reads its configuration (Typesafe Config, through jicoco-config) the first
 * time a message is encoded, and Typesafe Config looks for {@code reference.conf} through the
 * thread's context class loader, which in OSGi is not this bundle's. The holder does that first
 * encode once, with this bundle's class loader as context loader, so no network thread ever has to.
 */
final class SharedStunStack {
    private SharedStunStack() {
    }

    /** @return the shared stack, initialised on first use */
    static StunStack get() {
        return Holder.STACK;
    }

    private static final class Holder {
        static final StunStack STACK = create();

        private static StunStack create() {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(SharedStunStack.class.getClassLoader());
            try {
                StunStack stack = new StunStack();
                warmUpEncoder(stack);
                return stack;
            } finally {
                thread.setContextClassLoader(previous);
            }
        }

        /** Encodes one throw-away response so ice4j loads its configuration now. */
        private static void warmUpEncoder(StunStack stack) {
            try {
                Response response = MessageFactory.createBindingErrorResponse((char) 400, "warm-up");
                response.setTransactionID(new byte[12]);
                response.putAttribute(AttributeFactory.createFingerprintAttribute());
                response.encode(stack);
            } catch (Exception e) {
                throw new IllegalStateException("ice4j could not encode a STUN message", e);
            }
        }
    }

    /** @return the ice4j form of a UDP socket address */
    static TransportAddress udp(java.net.InetSocketAddress address) {
        return new TransportAddress(address, Transport.UDP);
    }
}
