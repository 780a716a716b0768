/**
 * Sender-side congestion control: Google Congestion Control (draft-ietf-rmcat-gcc-02) driven by
 * transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01),
 * after libwebrtc's {@code modules/congestion_controller/goog_cc}.
 * {@link io.framewire.plugin.webrtc.cc.BandwidthEstimator} is the facade; the pacer reports each sent
 * packet (transport-wide sequence, size on the wire, send time), the RTCP path hands it parsed
 * {@link io.framewire.plugin.webrtc.cc.TransportFeedback}, receiver-report loss and RTT, and the
 * target bitrate is min(delay-based, loss-based) within
 * [{@link io.framewire.plugin.webrtc.cc.CongestionSettings#minBps min},
 * {@link io.framewire.plugin.webrtc.cc.CongestionSettings#maxBps max}].
 *
 * <h2>Feedback</h2>
 * {@code TransportFeedback} parses RTPFB FMT 15: run-length, one-bit and two-bit status vector chunks,
 * 1-byte unsigned and 2-byte signed receive deltas in 250 µs units from a 24-bit reference time in
 * 64 ms units (read unsigned, as libwebrtc does). {@code SendTimeHistory} keeps the last 2^14 sent
 * packets (sequence unwrapped to 64 bits) and matches feedback to them; unknown sequences, packets
 * fallen out of the ring and repeated reports of a received packet are ignored.
 *
 * <h2>Delay-based rate</h2>
 * <ul>
 *   <li>Groups ({@code InterArrival}): packets sent within 5 ms of a group's first packet form a
 *       group, and so do packets arriving in a burst (less than 5 ms after the previous one, ahead of
 *       their send spacing, within 100 ms of the group's first arrival). Received packets are fed in
 *       arrival order. Between consecutive groups we take the send delta and the arrival delta (last
 *       packet to last packet). A packet sent before the current group is skipped; three negative
 *       arrival deltas in a row, or an arrival-clock jump of 3 s beyond the feedback clock, restart
 *       the grouping and the trend.
 *   <li>Trend ({@code TrendlineEstimator}): the delay variation (arrival delta - send delta) is
 *       accumulated, smoothed with factor 0.9, and a least-squares line is fitted through the last 20
 *       (arrival time, smoothed delay) points. Unlike libwebrtc, the fit starts at 5 points rather
 *       than a full window, so a start far above capacity is caught about 0.5 s sooner.
 *   <li>Detector ({@code OveruseDetector}): the slope x min(number of deltas, 60) x gain 4 is compared
 *       with an adaptive threshold, initially 12.5 ms, moving towards |trend| at k_up 0.0087/ms
 *       (above) or k_down 0.039/ms (below), steps of at most 100 ms, clamped to [6, 600] ms and not
 *       moved by samples more than 15 ms above it. Overusing once above the threshold for more than
 *       10 ms over at least two groups with a non-decreasing slope; underusing below -threshold;
 *       otherwise normal.
 *   <li>Acknowledged bitrate ({@code AcknowledgedBitrate}): bytes reported received with arrival
 *       times in the last 500 ms of the receiver's clock (at least 150 ms of history).
 *   <li>AIMD ({@code AimdRateControl}): normal -> increase, underusing -> hold, overusing -> decrease
 *       then hold. A decrease sets 0.85 x acknowledged bitrate - 5 kbit/s (never up), at most once per
 *       max(10 ms, min(RTT, 200 ms)) unless the throughput fell below half the rate; an overuse before
 *       any acknowledged bitrate halves the rate. Each decrease feeds the link-capacity estimate
 *       (exponential mean, alpha 0.05, of the acknowledged bitrate at overuse, with a normalized
 *       variance clamped to [0.4, 2.5] kbit/s). Near it (mean +- 3 standard deviations) the increase
 *       is additive, one average packet (frames of 1/30 s cut into 1200-byte packets) per response
 *       time RTT + 100 ms, at least 4 kbit/s per second; without it (at the start, or once the
 *       throughput leaves the band) multiplicative, 25 %/s. libwebrtc uses 8 %/s and probes to climb.
 *       Without probes, at 15 %/s the browser benchmark's recovery from 1.5 to 8 Mbit/s took 17-18 s
 *       (the estimate must first leave the old capacity band additively, and an encoder fills only
 *       part of the estimate); at 25 %/s, with the encoder's undershoot made up for, 10-13 s (see
 *       Probing below for what probes add).
 *       Fast start is the same multiplicative increase from {@code startBps} until the first
 *       overuse. No increase goes above 1.5 x acknowledged bitrate + 10 kbit/s, so an app-limited
 *       sender does not inflate it. RTT defaults to 200 ms until {@code onRoundTrip}.
 * </ul>
 *
 * <h2>Probing</h2>
 * {@code ProbeController} decides when ({@code BandwidthEstimator#probesDue}): 3x and 6x the start rate
 * at the start; 2x a measurement that reached 70 % of the rate awaited; a capacity check at 1.5x the
 * estimate when it was not cut for 3 s and no probe went out for the check interval (3 s, doubled up
 * to 8 s by each saturated check, back to 3 s when a check found room). Never above the caller's
 * ceiling (the stream's configured bitrate plus headers) and the maximum, nor below 1.2x the estimate.
 * A cluster is at least 15 ms and 5 packets at its rate ({@code ProbeCluster}); its packets carry the
 * cluster id into the {@code SendTimeHistory}. {@code ProbeBitrateEstimator} measures a cluster once
 * 80 % of its minimum packets and bytes arrived: send rate (bytes less the last packet over the send
 * interval) and receive rate (bytes less the first over the arrival interval); intervals outside
 * (0, 1 s] or a receive rate above 2x the send rate are no measurement. Receive below 0.9x send:
 * saturated, 0.95x receive, and not used by the estimator (bursty delivery makes it read high);
 * otherwise min(send, receive), which the delay-based rate takes over when above it and not
 * overusing ({@code AimdRateControl#onProbe}: a capacity band below it is forgotten, and for 2 s a
 * decrease goes no lower than 0.85x the probed rate), as does the loss-based ceiling unless the last
 * loss sample was above 10 %. Probe packets are left out of the acknowledged bitrate (they would lift
 * the increase limit and leave the capacity band). In the simulation below, the 1.5 -> 8 Mbit/s rise
 * takes about 7 s with probes (the check interval is at 8 s on the full 1.5 Mbit/s link), about 13 s
 * without.
 *
 * <h2>Loss beyond the resend budget</h2>
 * {@code onLossBeyondBudget} (the media path calls it when a NACK asks for more than the resend budget
 * holds) caps the loss-based ceiling at 0.85x the rate of the last 10 arrivals: a capacity drop into a
 * full drop-tail queue shows there first, before a loss sample (which needs 20 packets and 100 ms of
 * send time) or the delay trend.
 *
 * <h2>Loss-based ceiling</h2>
 * {@code LossBasedControl} starts at the maximum, so without loss only the delay-based rate limits.
 * Loss samples come from transport-cc feedback (lost / reported packets, first reports only, over
 * at least 20 packets and 100 ms of send time, so 1 % random loss does not read as 10 % now and then);
 * receiver-report fraction lost is used only when feedback gave no sample for 2 s. Below 2 %: the
 * ceiling grows 8 %/s (+1 kbit/s per second); 2-10 %: hold; above 10 %: ceiling = min(ceiling,
 * target) x (1 - 0.5 x loss), at most once per 300 ms + RTT.
 *
 * <h2>Behaviour in the tests' simulated bottleneck</h2>
 * (measured with the earlier 15 %/s increase; the simulation tests assert bounds, not these values)
 * (FIFO queue, 25 ms one-way delay, 30 fps frames of 1200-byte packets paced at 2.5 x target,
 * feedback every 50-100 ms): on 3 Mbit/s with 1 % loss the target saw-tooths between about 2.55 and
 * 3.1 Mbit/s (mean 2.84) with the queue under 50 ms; a drop from 8 to 1.5 Mbit/s takes the target
 * below 1.5 Mbit/s in 0.6 s, and a rise back to 8 Mbit/s brings it above 6.4 Mbit/s in about 13 s.
 *
 * <p>This package is private to the bundle (not exported).
 */
package io.framewire.plugin.webrtc.cc;
