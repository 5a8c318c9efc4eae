package dev.sourcevitess.vstream;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.vitess.proto.Vtgate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One VStream call read on the calling thread: grpc-java's callbacks are queued and run here, as its
 * blocking stub runs them, and responses are asked for one at a time, so memory stays flat however
 * fast VTGate sends. Unlike the blocking stub, a wait for the next response gives up after a while,
 * so the reader hears of a silence (no event, not even a heartbeat) while it lasts.
 */
final class StreamingCall {
  private final LinkedBlockingQueue<Runnable> callbacks = new LinkedBlockingQueue<>();
  private final ArrayDeque<byte[]> responses = new ArrayDeque<>();
  private final ClientCall<Vtgate.VStreamRequest, byte[]> call;
  private Status status;
  private Metadata trailers;

  StreamingCall(Channel channel, CallOptions options, Vtgate.VStreamRequest request) {
    call = channel.newCall(VStreamMethod.METHOD, options.withExecutor(callbacks::add));
    call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(byte[] message) {
        responses.add(message);
      }

      @Override
      public void onClose(Status closedWith, Metadata closingTrailers) {
        status = closedWith;
        trailers = closingTrailers;
      }
    }, new Metadata());
    call.sendMessage(request);
    call.halfClose();
    call.request(1);
  }

  /**
   * The next response; null when none came within {@code quiet}, or when the call has ended
   * ({@link #status} then says how).
   *
   * @throws InterruptedException when the reading thread is interrupted (the call is then cancelled)
   */
  byte[] next(Duration quiet) throws InterruptedException {
    long until = System.nanoTime() + quiet.toNanos();
    while (responses.isEmpty() && status == null) {
      Runnable callback = callbacks.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (callback == null) {
        return null;
      }
      callback.run();
    }
    byte[] response = responses.poll();
    if (response != null) {
      // the next one travels while this one is read
      call.request(1);
    }
    return response;
  }

  /** How the call ended; null while it goes on. */
  Status status() {
    return status;
  }

  Metadata trailers() {
    return trailers;
  }

  /** Ends the call at the server, whatever its state; callbacks still queued are dropped. */
  void cancel() {
    call.cancel("the reader is done", null);
    callbacks.clear();
  }
}
