package io.framewire.plugin.webrtc.signaling;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The one list of security headers, put on every HTTP response of the signaling server: the web
 * client, {@code /health}, {@code /access}, and Jetty's own error pages (404, 405, 400 for a bad URI
 * or a malformed request), which {@link #errorHandler()} covers because those never reach the
 * handlers. The CSP is the web client's; on other responses it is harmless and keeps error pages
 * inert (no script, no framing).
 */
final class SecurityHeaders {
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "media-src 'self' blob: mediastream:; connect-src 'self' ws: wss:; "
                    + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    /** Puts (replaces) the headers. */
    static void apply(HttpFields.Mutable headers) {
        headers.put(HttpHeader.CACHE_CONTROL, "no-cache");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    }

    /** @return a handler that puts the headers on every response, then hands the request on */
    static Handler.Wrapper wrapping(Handler next) {
        return new Handler.Wrapper(next) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                apply(response.getHeaders());
                return super.handle(request, response, callback);
            }
        };
    }

    /** @return Jetty's error handler (no stack traces, no server version) with the headers on every error page */
    static ErrorHandler errorHandler() {
        ErrorHandler handler = new ErrorHandler() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                apply(response.getHeaders());
                return super.handle(request, response, callback);
            }

            @Override
            public java.nio.ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
                apply(fields); // a request Jetty could not parse: answered before any handler
                return super.badMessageError(status, reason, fields);
            }
        };
        handler.setShowStacks(false);
        handler.setShowMessageInTitle(false);
        return handler;
    }
}
