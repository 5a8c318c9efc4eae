package dev.sourcevitess.vstream;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.TableCursor;
import dev.sourcevitess.domain.port.CursorCodec;
import dev.sourcevitess.vstream.proto.PsdbConnect;
import java.util.Base64;

/**
 * Cursors as PlanetScale's connector stores them: base64 (standard alphabet, padded) of its
 * protobuf {@code psdbconnect.v1alpha1.TableCursor}, so states move between the two connectors.
 */
final class ProtoCursorCodec implements CursorCodec {
  @Override
  public String encode(TableCursor cursor) {
    if (cursor.lastKnownPk() == null && cursor.replayFrom() == null) {
      // as the generated code writes it (fields 1 to 3), without building its descriptors (see
      // StringFields); a copy under way takes the generated code
      return Base64.getEncoder().encodeToString(new ProtoWriter()
          .string(PsdbConnect.TableCursor.SHARD_FIELD_NUMBER, cursor.shard().name())
          .string(PsdbConnect.TableCursor.KEYSPACE_FIELD_NUMBER, cursor.keyspace())
          .string(PsdbConnect.TableCursor.POSITION_FIELD_NUMBER, cursor.position())
          .toByteArray());
    }
    PsdbConnect.TableCursor.Builder proto = PsdbConnect.TableCursor.newBuilder()
        .setShard(cursor.shard().name())
        .setKeyspace(cursor.keyspace())
        .setPosition(cursor.position());
    if (cursor.lastKnownPk() != null) {
      proto.setLastKnownPk(LastKeyProto.toQueryResult(cursor.lastKnownPk()));
    }
    if (cursor.replayFrom() != null) {
      proto.setReplayFrom(cursor.replayFrom());
    }
    return Base64.getEncoder().encodeToString(proto.build().toByteArray());
  }

  @Override
  public TableCursor decode(String encoded) {
    if (encoded == null || encoded.isBlank()) {
      throw new IllegalArgumentException("the cursor is empty");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(encoded.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the cursor is not base64: " + e.getMessage(), e);
    }
    String[] plain = StringFields.read(bytes, 0, bytes.length, PsdbConnect.TableCursor.POSITION_FIELD_NUMBER);
    if (plain != null && !plain[0].isBlank()) {
      // shard, keyspace and position, and no last key; what these cannot make, the generated
      // parser's path below reads again and words
      try {
        return new TableCursor(new Shard(plain[0]), plain[1], plain[2], null);
      } catch (IllegalArgumentException unreadable) {
        // fall through
      }
    }
    PsdbConnect.TableCursor proto;
    try {
      proto = PsdbConnect.TableCursor.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          "the cursor is not a protobuf TableCursor: " + e.getMessage(), e);
    }
    if (proto.getShard().isBlank()) {
      throw new IllegalArgumentException("the cursor names no shard");
    }
    try {
      return new TableCursor(
          new Shard(proto.getShard()),
          proto.getKeyspace(),
          proto.getPosition(),
          proto.hasLastKnownPk() ? LastKeyProto.fromQueryResult(proto.getLastKnownPk()) : null,
          replayFrom(proto));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the cursor's last known key is malformed: "
          + e.getMessage(), e);
    }
  }

  /**
   * The replay start of an unfinished copy; none where the cursor is past its copy, as a cursor
   * written by hand or by another tool may say.
   */
  private static String replayFrom(PsdbConnect.TableCursor proto) {
    boolean copying = proto.getPosition().isEmpty() || proto.hasLastKnownPk();
    return copying && !proto.getReplayFrom().isEmpty() ? proto.getReplayFrom() : null;
  }
}
