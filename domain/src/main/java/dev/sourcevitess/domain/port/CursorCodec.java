package dev.sourcevitess.domain.port;

import dev.sourcevitess.domain.model.TableCursor;

/** Turns cursors into the strings Airbyte state keeps (base64 of a protobuf TableCursor) and back. */
public interface CursorCodec {
  String encode(TableCursor cursor);

  /** @throws IllegalArgumentException saying why {@code encoded} is not a cursor */
  TableCursor decode(String encoded);
}
