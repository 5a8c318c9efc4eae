package dev.sourcevitess.vstream;

import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreams;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.vitess.proto.Vtgate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@link ChangeStreams} over VTGate's {@code Vitess/VStream}: the transport side (calls, deadlines,
 * cancellation, errors). What the events mean is {@link VEventDecoder}'s business.
 */
final class VtgateChangeStreams implements ChangeStreams {
  private final Channel channel;
  private final CallCredentials credentials;
  private final SourceConfig config;
  private final Duration heartbeatInterval;
  private final VtgateErrors errors;
  private final PeekAhead peekAhead;

  /** Without an early peek: each {@link #currentPositions} call is made through the channel. */
  VtgateChangeStreams(
      Channel channel, CallCredentials credentials, SourceConfig config, Duration heartbeatInterval) {
    this(channel, credentials, config, heartbeatInterval,
        new PeekAhead(config, new VtgateCredentials(config.username(), config.password())));
  }

  VtgateChangeStreams(Channel channel, CallCredentials credentials, SourceConfig config,
      Duration heartbeatInterval, PeekAhead peekAhead) {
    this.channel = Objects.requireNonNull(channel, "channel");
    this.peekAhead = Objects.requireNonNull(peekAhead, "peekAhead");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.config = Objects.requireNonNull(config, "config");
    this.heartbeatInterval = Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    this.errors = new VtgateErrors(
        List.of(config.password(), new Secret(VtgateCredentials.token(config.username(), config.password()))),
        config.username(), config.timeoutSeconds(), config.tlsMode());
  }

  /**
   * The positions peeked ahead, when the run started the peek for this keyspace and it was
   * answered; otherwise (or when that peek could not be read) one {@code current} stream here.
   */
  @Override
  public Map<Shard, String> currentPositions(String keyspace) {
    Objects.requireNonNull(keyspace, "keyspace");
    Optional<Map<Shard, String>> peeked = peekAhead.take(keyspace, errors);
    if (peeked.isPresent()) {
      return peeked.get();
    }
    PeekedPositions positions = new PeekedPositions(keyspace);
    try {
      run(VStreamRequests.current(keyspace, config), positions.what(), positions.decoder(), positions);
    } catch (ChangeStreamException e) {
      throw e.reason() == ChangeStreamException.Reason.DEADLINE_EXCEEDED ? positions.late(e, config.timeoutSeconds()) : e;
    }
    return positions.positions();
  }

  @Override
  public void stream(Request request, Handler handler) {
    Objects.requireNonNull(handler, "handler");
    String tables = request.tables().size() == 1 ? request.tables().get(0) : request.tables().size() + " tables";
    String what = "the VStream of " + request.keyspace() + "." + tables + " on shards "
        + request.starts().stream().map(s -> s.shard().name()).toList();
    run(VStreamRequests.stream(request, config, heartbeatInterval), what,
        VEventDecoder.forStream(request, config.tinyIntAsBoolean()), handler);
  }

  /**
   * Runs one VStream call until the handler says stop (the call is then cancelled), the deadline
   * passes or the call fails. A server that ends the stream by itself is an error: VTGate streams
   * until told to stop, so that is a dropped stream. A silence longer than {@link #quiet} (no
   * event, not even a heartbeat) is told to the handler, again and again while it lasts.
   */
  private void run(
      Vtgate.VStreamRequest request, String what, VEventDecoder decoder, Handler handler) {
    CallOptions options = CallOptions.DEFAULT
        .withCallCredentials(credentials)
        .withDeadlineAfter(config.timeoutSeconds(), TimeUnit.SECONDS);
    // responses stay bytes until decoded: ROW events are read straight from them (VStreamWire)
    StreamingCall call = new StreamingCall(channel, options, request);
    try {
      boolean answered = false;
      VStreamWire.Call wire = new VStreamWire.Call();
      while (true) {
        byte[] response;
        try {
          response = call.next(quiet());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ChangeStreamException(ChangeStreamException.Reason.OTHER, "interrupted while reading " + what, e);
        }
        if (response != null) {
          answered = true;
          if (!decode(wire, decoder, response, handler, what)) {
            return;
          }
        } else if (call.status() != null) {
          if (call.status().isOk()) {
            throw errors.endedByServer(what);
          }
          throw failure(call.status().asRuntimeException(call.trailers()), what, answered);
        } else if (!handler.onQuiet()) {
          return;
        }
      }
    } finally {
      call.cancel();
    }
  }

  /** How long a silence is before the reader hears of it: half as long again as VTGate's heartbeat interval. */
  private Duration quiet() {
    return heartbeatInterval.multipliedBy(3).dividedBy(2);
  }

  /** An interrupted reader (the run is being stopped) is not a VTGate failure to retry. */
  private ChangeStreamException failure(StatusRuntimeException e, String what, boolean answered) {
    if (Thread.currentThread().isInterrupted()) {
      return new ChangeStreamException(ChangeStreamException.Reason.OTHER,
          "interrupted while reading " + what, e);
    }
    return errors.classify(e, what, answered);
  }

  private boolean decode(
      VStreamWire.Call wire, VEventDecoder decoder, byte[] response, Handler handler, String what) {
    try {
      return wire.decode(response, decoder, handler);
    } catch (VEventDecoder.UnreadableEventException e) {
      throw new ChangeStreamException(ChangeStreamException.Reason.OTHER,
          "VTGate sent an event in " + what + " that this connector cannot read: "
              + errors.redact(String.valueOf(e.getMessage())), e);
    }
  }
}
