package io.framewire.plugin.webrtc.sdp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses an SDP (RFC 8866) as browsers write it for WebRTC (unified plan, JSEP) into a
 * {@link SessionDescription}.
 *
 * <p>Lines may end with CRLF or LF; empty lines are skipped; unknown lines and attributes are kept in
 * the attribute lists but otherwise ignored. Structural errors (no {@code v=0}, a line that is not
 * {@code <letter>=<value>}, a bad m-line, rtpmap, fmtp or fingerprint) raise an {@link SdpException}
 * quoting the line.
 */
public final class SdpParser {

    private static final Map<Integer, String[]> STATIC_TYPES = Map.of(
            0, new String[] {"PCMU", "8000"}, 3, new String[] {"GSM", "8000"}, 8, new String[] {"PCMA", "8000"},
            9, new String[] {"G722", "8000"}, 13, new String[] {"CN", "8000"}, 18, new String[] {"G729", "8000"},
            26, new String[] {"JPEG", "90000"}, 34, new String[] {"H263", "90000"});

    private SdpParser() {
    }

    /**
     * @param sdp the SDP text
     * @return the model
     * @throws SdpException if the SDP is malformed
     */
    public static SessionDescription parse(String sdp) {
        if (sdp == null || sdp.isBlank()) {
            throw new SdpException("empty SDP");
        }
        List<Attribute> session = new ArrayList<>();
        List<Section> sections = new ArrayList<>();
        Section current = null;
        boolean sawVersion = false;
        String[] lines = sdp.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=' || !Character.isLetter(line.charAt(0))) {
                throw new SdpException("malformed SDP line " + (i + 1) + ": '" + line + "'");
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (!sawVersion) {
                if (type != 'v' || !value.trim().equals("0")) {
                    throw new SdpException("SDP must start with v=0, line " + (i + 1) + " is '" + line + "'");
                }
                sawVersion = true;
                continue;
            }
            if (type == 'm') {
                current = new Section(value, i + 1);
                sections.add(current);
            } else if (type == 'a') {
                int colon = value.indexOf(':');
                Attribute a = colon < 0 ? new Attribute(value.trim(), null)
                        : new Attribute(value.substring(0, colon).trim(), value.substring(colon + 1).trim());
                (current == null ? session : current.attributes).add(a);
            }
        }
        if (!sawVersion) {
            throw new SdpException("SDP has no v=0 line");
        }

        String ufrag = find(session, "ice-ufrag");
        String pwd = find(session, "ice-pwd");
        String fp = find(session, "fingerprint");
        Fingerprint fingerprint = fp == null ? null : Fingerprint.parse(fp);
        String setupValue = find(session, "setup");
        Setup setup = setupValue == null ? null : Setup.parse(setupValue);
        Direction sessionDirection = direction(session, Direction.SENDRECV);
        List<Extmap> sessionExtmaps = new ArrayList<>();
        List<String> bundle = List.of();
        boolean iceLite = false;
        for (Attribute a : session) {
            switch (a.name()) {
                case "extmap" -> sessionExtmaps.add(Extmap.parse(value(a)));
                case "ice-lite" -> iceLite = true;
                case "group" -> {
                    String[] parts = value(a).split("\\s+");
                    if (parts[0].equals("BUNDLE") && bundle.isEmpty()) {
                        bundle = List.of(Arrays.copyOfRange(parts, 1, parts.length));
                    }
                }
                default -> {
                }
            }
        }

        List<MediaDescription> media = new ArrayList<>();
        for (Section s : sections) {
            media.add(s.build(ufrag, pwd, fingerprint, setup, sessionDirection, sessionExtmaps));
        }
        return new SessionDescription(ufrag, pwd, fingerprint, setup, iceLite, bundle, List.copyOf(session),
                List.copyOf(media));
    }

    static int parseInt(String s, String context) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new SdpException("expected a number, got '" + s + "' in '" + context + "'");
        }
    }

    private static String find(List<Attribute> attributes, String name) {
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                return value(a);
            }
        }
        return null;
    }

    private static String value(Attribute a) {
        if (a.value() == null || a.value().isEmpty()) {
            throw new SdpException("a=" + a.name() + " needs a value");
        }
        return a.value();
    }

    private static Direction direction(List<Attribute> attributes, Direction fallback) {
        Direction d = fallback;
        for (Attribute a : attributes) {
            for (Direction candidate : Direction.values()) {
                if (a.value() == null && a.name().equals(candidate.attribute())) {
                    d = candidate;
                }
            }
        }
        return d;
    }

    /** An m-section while it is being read. */
    private static final class Section {
        final String media;
        final int port;
        final String protocol;
        final List<String> formats;
        final List<Attribute> attributes = new ArrayList<>();

        Section(String mLine, int lineNumber) {
            String[] parts = mLine.trim().split("\\s+");
            if (parts.length < 4) {
                throw new SdpException("m-line " + lineNumber + " needs '<media> <port> <proto> <fmt>...': 'm="
                        + mLine + "'");
            }
            media = parts[0];
            port = parseInt(parts[1].split("/")[0], "m=" + mLine);
            protocol = parts[2];
            formats = List.of(Arrays.copyOfRange(parts, 3, parts.length));
        }

        MediaDescription build(String ufrag, String pwd, Fingerprint fingerprint, Setup setup,
                               Direction sessionDirection, List<Extmap> sessionExtmaps) {
            String mid = find(attributes, "mid");
            String u = find(attributes, "ice-ufrag");
            String p = find(attributes, "ice-pwd");
            String fp = find(attributes, "fingerprint");
            String st = find(attributes, "setup");
            List<Extmap> extmaps = new ArrayList<>(sessionExtmaps);
            boolean mux = false;
            boolean rsize = false;
            Map<Integer, String[]> rtpmaps = new LinkedHashMap<>();
            Map<Integer, String> fmtps = new LinkedHashMap<>();
            Map<Integer, List<String>> feedback = new LinkedHashMap<>();
            List<String> wildcardFeedback = new ArrayList<>();
            for (Attribute a : attributes) {
                switch (a.name()) {
                    case "extmap" -> extmaps.add(Extmap.parse(value(a)));
                    case "rtcp-mux" -> mux = true;
                    case "rtcp-rsize" -> rsize = true;
                    case "rtpmap" -> {
                        String[] kv = split(a);
                        String[] enc = kv[1].split("/");
                        if (enc.length < 2) {
                            throw new SdpException("a=rtpmap needs '<pt> <name>/<rate>', got 'a=rtpmap:" + a.value() + "'");
                        }
                        rtpmaps.put(parseInt(kv[0], "a=rtpmap:" + a.value()), enc);
                    }
                    case "fmtp" -> {
                        String[] kv = split(a);
                        fmtps.put(parseInt(kv[0], "a=fmtp:" + a.value()), kv[1]);
                    }
                    case "rtcp-fb" -> {
                        String[] kv = split(a);
                        String fb = kv[1].trim().replaceAll("\\s+", " ");
                        if (kv[0].equals("*")) {
                            wildcardFeedback.add(fb);
                        } else {
                            feedback.computeIfAbsent(parseInt(kv[0], "a=rtcp-fb:" + a.value()),
                                    k -> new ArrayList<>()).add(fb);
                        }
                    }
                    default -> {
                    }
                }
            }
            List<PayloadType> types = new ArrayList<>();
            if (protocol.toUpperCase(Locale.ROOT).contains("RTP")) {
                for (String f : formats) {
                    int pt = parseInt(f, "m=" + media + " ... " + f);
                    String[] enc = rtpmaps.get(pt);
                    if (enc == null) {
                        enc = STATIC_TYPES.getOrDefault(pt, new String[] {"", "0"});
                    }
                    String fmtp = fmtps.get(pt);
                    List<String> fb = new ArrayList<>(wildcardFeedback);
                    fb.addAll(feedback.getOrDefault(pt, List.of()));
                    types.add(new PayloadType(pt, enc[0], parseInt(enc[1], "a=rtpmap:" + pt),
                            enc.length > 2 ? parseInt(enc[2], "a=rtpmap:" + pt) : 0, fmtp, params(fmtp),
                            List.copyOf(fb)));
                }
            }
            return new MediaDescription(media, port, protocol, formats, mid, direction(attributes, sessionDirection),
                    List.copyOf(types), u != null ? u : ufrag, p != null ? p : pwd,
                    fp != null ? Fingerprint.parse(fp) : fingerprint, st != null ? Setup.parse(st) : setup,
                    List.copyOf(extmaps), mux, rsize, List.copyOf(attributes));
        }

        private static String[] split(Attribute a) {
            String[] kv = value(a).split("\\s+", 2);
            if (kv.length < 2) {
                throw new SdpException("a=" + a.name() + " needs '<pt> <value>', got 'a=" + a.name() + ":" + a.value() + "'");
            }
            return kv;
        }

        private static Map<String, String> params(String fmtp) {
            Map<String, String> params = new LinkedHashMap<>();
            if (fmtp != null) {
                for (String p : fmtp.split(";")) {
                    String t = p.trim();
                    if (t.isEmpty()) {
                        continue;
                    }
                    int eq = t.indexOf('=');
                    if (eq < 0) {
                        params.put(t.toLowerCase(Locale.ROOT), "");
                    } else {
                        params.put(t.substring(0, eq).trim().toLowerCase(Locale.ROOT), t.substring(eq + 1).trim());
                    }
                }
            }
            return java.util.Collections.unmodifiableMap(params);
        }
    }
}
