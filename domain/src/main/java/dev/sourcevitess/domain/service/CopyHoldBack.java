package dev.sourcevitess.domain.service;

import dev.sourcevitess.domain.model.CopiedRow;
import dev.sourcevitess.domain.model.RawRow;
import dev.sourcevitess.domain.model.RecordLayout;
import dev.sourcevitess.domain.model.StreamId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Copy rows held back until a VGTID lets them out together with a STATE that covers them. A copy
 * resumes after its saved key and only catches up changes at or below it, so a row written past
 * the last STATE and deleted before the retry would otherwise stay in the destination. (A process
 * killed between the rows and their STATE leaves such rows all the same: the sync that finishes
 * the copy then reads the shard's changes again from where the copy began, {@code TableCursor.replayFrom}.)
 */
final class CopyHoldBack {
  /** At most this much of a copy is held back (the buffer may pass it by one VTGate batch). */
  static final long MAX_PENDING_BYTES = 8 << 20;

  private final StreamId stream;
  private final List<Pending> pending = new ArrayList<>();
  /** How many of the pending rows the last VGTID covers; the rest belong to an unfinished batch. */
  private int covered;
  private long bytes;
  /** Rows since the last VGTID, and the most between two VGTIDs so far: what the next may bring. */
  private long rowsSincePosition;
  private long largestBatch;

  CopyHoldBack(StreamId stream) {
    this.stream = stream;
  }

  /** A copy row waiting for its STATE. */
  private record Pending(RecordLayout layout, RawRow row, Instant committed, boolean deleted, String position) {}

  /** Counts a row that went out at once: it still tells how large a batch can be. */
  void passed() {
    rowsSincePosition++;
  }

  void hold(RecordLayout layout, RawRow image, Instant committed, boolean deleted, String position) {
    rowsSincePosition++;
    // a row whose bytes never change can be held as it is; a reused view must be copied
    RawRow held = image.stable() ? image : CopiedRow.of(image);
    pending.add(new Pending(layout, held, committed, deleted, position));
    bytes += held.size();
  }

  /** A VGTID: the rows held so far are covered by its positions. */
  void covered() {
    covered = pending.size();
    largestBatch = Math.max(largestBatch, rowsSincePosition);
    rowsSincePosition = 0;
  }

  /** After a failed attempt: drops the rows no VGTID covers, which the next attempt reads again. */
  void dropUncovered() {
    pending.subList(covered, pending.size()).clear();
    bytes = pending.stream().mapToLong(p -> p.row().size()).sum();
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }

  /** A STATE is owed before the next batch could take the stream past 10,000 records without one. */
  boolean checkpointDue(ReadSession session) {
    return bytes >= MAX_PENDING_BYTES || session.checkpointDue(stream, pending.size() + largestBatch);
  }

  /** Writes the held rows, as extracted at one moment; the caller's STATE follows. */
  void release(ReadSession session) {
    Instant extracted = session.now();
    for (Pending p : pending) {
      session.change(stream, p.layout(), p.row(), p.committed(), p.deleted(), p.position(), extracted);
    }
    pending.clear();
    covered = 0;
    bytes = 0;
  }
}
