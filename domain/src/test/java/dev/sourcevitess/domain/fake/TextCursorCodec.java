package dev.sourcevitess.domain.fake;

import dev.sourcevitess.domain.model.KeyValue;
import dev.sourcevitess.domain.model.LastKey;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.TableCursor;
import dev.sourcevitess.domain.port.CursorCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** A readable, reversible cursor encoding for domain tests (the real one is protobuf). */
public final class TextCursorCodec implements CursorCodec {
  private static final HexFormat HEX = HexFormat.of();

  @Override
  public String encode(TableCursor cursor) {
    StringBuilder s = new StringBuilder();
    s.append(hex(cursor.shard().name())).append('|').append(hex(cursor.keyspace())).append('|')
        .append(hex(cursor.position())).append('|');
    if (cursor.lastKnownPk() != null) {
      List<String> parts = new ArrayList<>();
      for (KeyValue v : cursor.lastKnownPk().values()) {
        parts.add(hex(v.column()) + ":" + v.typeTag() + ":" + (v.value() == null ? "~" : HEX.formatHex(v.value())));
      }
      s.append(String.join(",", parts));
    }
    s.append('|').append(cursor.replayFrom() == null ? "~" : hex(cursor.replayFrom()));
    return Base64.getEncoder().encodeToString(s.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public TableCursor decode(String encoded) {
    try {
      String[] f = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).split("\\|", -1);
      if (f.length != 5) {
        throw new IllegalArgumentException("expected 5 fields");
      }
      LastKey key = null;
      if (!f[3].isEmpty()) {
        List<KeyValue> values = new ArrayList<>();
        for (String part : f[3].split(",")) {
          String[] p = part.split(":");
          values.add(new KeyValue(unhex(p[0]), Integer.parseInt(p[1]), p[2].equals("~") ? null : HEX.parseHex(p[2])));
        }
        key = new LastKey(values);
      }
      return new TableCursor(new Shard(unhex(f[0])), unhex(f[1]), unhex(f[2]), key,
          f[4].equals("~") ? null : unhex(f[4]));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a test cursor: " + e.getMessage(), e);
    }
  }

  private static String hex(String s) {
    return HEX.formatHex(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String unhex(String s) {
    return new String(HEX.parseHex(s), StandardCharsets.UTF_8);
  }
}
