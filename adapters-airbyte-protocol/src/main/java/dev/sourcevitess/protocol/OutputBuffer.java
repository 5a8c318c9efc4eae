package dev.sourcevitess.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * stdout's one buffer. Records are built in it in place ({@link JsonValueWriter}); every other
 * message comes through Jackson's generator, which writes into it and flushes at the message's
 * end. Records go out in chunks of about {@link #CHUNK_BYTES}, and only between records: a line
 * is never cut by a write, and a record that fails half-way can be taken back.
 */
final class OutputBuffer extends OutputStream {
  static final int CHUNK_BYTES = 1 << 16;
  /**
   * A record larger than a chunk grows the array (a record is held whole until its end, so a large
   * value is in memory twice: the row's and its JSON); past this size the array is not kept.
   */
  private static final int MAX_KEPT_BYTES = 1 << 20;

  private final OutputStream stdout;
  byte[] bytes = new byte[CHUNK_BYTES + 4096];
  int length;

  OutputBuffer(OutputStream stdout) {
    this.stdout = stdout;
  }

  /** Makes room for {@code more} bytes after {@link #length}. */
  void ensure(int more) {
    if (more > bytes.length - length) {
      bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, Math.addExact(length, more)));
    }
  }

  /** The end of a record: a full chunk goes out. */
  void endRecord() throws IOException {
    if (length >= CHUNK_BYTES) {
      writeOut();
    }
  }

  @Override
  public void write(int b) {
    ensure(1);
    bytes[length++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int offset, int count) {
    ensure(count);
    System.arraycopy(b, offset, bytes, length, count);
    length += count;
  }

  @Override
  public void flush() throws IOException {
    writeOut();
    stdout.flush();
  }

  /** stdout belongs to the caller: closing the generator flushes this, and leaves stdout open. */
  @Override
  public void close() throws IOException {
    flush();
  }

  private void writeOut() throws IOException {
    if (length > 0) {
      stdout.write(bytes, 0, length);
      length = 0;
    }
    if (bytes.length > MAX_KEPT_BYTES) {
      bytes = new byte[CHUNK_BYTES + 4096];
    }
  }
}
