package dev.sourcevitess.vstream.fake;

import io.grpc.Status;
import io.vitess.proto.Vtgate;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** What the fake saw of one VStream call. Thread-safe: the call may still be running. */
public final class CallRecord {
  private final Vtgate.VStreamRequest request;
  private final String authorization;
  private final AtomicInteger eventsSent = new AtomicInteger();
  private final AtomicBoolean cancelledByClient = new AtomicBoolean();
  private final AtomicReference<Status> closedWith = new AtomicReference<>();
  private final CountDownLatch ended = new CountDownLatch(1);

  CallRecord(Vtgate.VStreamRequest request, String authorization) {
    this.request = request;
    this.authorization = authorization;
  }

  public Vtgate.VStreamRequest request() {
    return request;
  }

  /** The {@code authorization} header the call carried, or null. */
  public String authorization() {
    return authorization;
  }

  public int eventsSent() {
    return eventsSent.get();
  }

  /** True when the client cancelled the call (or its deadline passed) while it was streaming. */
  public boolean cancelledByClient() {
    return cancelledByClient.get();
  }

  /** The status the fake closed the call with, or null while open or when cancelled. */
  public Status closedWith() {
    return closedWith.get();
  }

  /** Waits until the call is over on the server's side; true when it is. */
  public boolean awaitEnd(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  void sent(int events) {
    eventsSent.addAndGet(events);
  }

  void cancelled() {
    cancelledByClient.set(true);
  }

  void closed(Status status) {
    closedWith.compareAndSet(null, status);
  }

  void ended() {
    ended.countDown();
  }

  @Override
  public String toString() {
    return "CallRecord[events=" + eventsSent + ", cancelled=" + cancelledByClient
        + ", closedWith=" + closedWith + "]";
  }
}
