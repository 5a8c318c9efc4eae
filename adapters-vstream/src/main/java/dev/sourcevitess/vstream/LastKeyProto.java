package dev.sourcevitess.vstream;

import com.google.protobuf.ByteString;
import dev.sourcevitess.domain.model.KeyValue;
import dev.sourcevitess.domain.model.LastKey;
import io.vitess.proto.Query;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link LastKey} as Vitess carries it ({@code TableLastPK.lastpk}, PlanetScale's
 * {@code last_known_pk}): a {@code query.QueryResult} with one field per key column and one row.
 */
final class LastKeyProto {
  /**
   * The type sent for a key value whose type we do not know ({@link KeyValue#typeTag()} 0, a key
   * the connector made itself). Vitess writes VARBINARY values as quoted literals, the same as
   * VARCHAR, and MySQL then compares them with the column's own type and collation; unlike VARCHAR
   * it holds any bytes. Such a key decodes back with this type's number, not 0.
   */
  static final Query.Type UNKNOWN_TYPE = Query.Type.VARBINARY;

  private LastKeyProto() {}

  static Query.QueryResult toQueryResult(LastKey key) {
    Query.QueryResult.Builder result = Query.QueryResult.newBuilder();
    Query.Row.Builder row = Query.Row.newBuilder();
    ByteString.Output values = ByteString.newOutput();
    for (KeyValue part : key.values()) {
      int type = part.typeTag() == 0 ? UNKNOWN_TYPE.getNumber() : part.typeTag();
      result.addFields(Query.Field.newBuilder().setName(part.column()).setTypeValue(type));
      byte[] value = part.value();
      if (value == null) {
        row.addLengths(-1);
      } else {
        row.addLengths(value.length);
        values.write(value, 0, value.length);
      }
    }
    return result.addRows(row.setValues(values.toByteString())).build();
  }

  /**
   * The key in {@code result}, or null when it holds no key at all (no fields and no rows).
   *
   * @throws IllegalArgumentException when it is not one row matching its fields
   */
  static LastKey fromQueryResult(Query.QueryResult result) {
    if (result.getFieldsCount() == 0 && result.getRowsCount() == 0) {
      return null;
    }
    if (result.getFieldsCount() == 0) {
      throw new IllegalArgumentException("a last key has rows but no fields");
    }
    if (result.getRowsCount() != 1) {
      throw new IllegalArgumentException(
          "a last key must have exactly one row, not " + result.getRowsCount());
    }
    Query.Row row = result.getRows(0);
    if (row.getLengthsCount() != result.getFieldsCount()) {
      throw new IllegalArgumentException("a last key has " + result.getFieldsCount()
          + " fields but " + row.getLengthsCount() + " values");
    }
    ByteString values = row.getValues();
    List<KeyValue> parts = new ArrayList<>(result.getFieldsCount());
    long offset = 0;
    for (int i = 0; i < result.getFieldsCount(); i++) {
      Query.Field field = result.getFields(i);
      if (field.getName().isEmpty()) {
        throw new IllegalArgumentException("a last key field has no name");
      }
      long length = row.getLengths(i);
      byte[] value = null;
      if (length >= 0) {
        if (offset + length > values.size()) {
          throw new IllegalArgumentException("a last key's value lengths exceed its "
              + values.size() + " bytes of values");
        }
        value = values.substring((int) offset, (int) (offset + length)).toByteArray();
        offset += length;
      } else if (length != -1) {
        throw new IllegalArgumentException("a last key has value length " + length);
      }
      parts.add(new KeyValue(field.getName(), field.getTypeValue(), value));
    }
    if (offset != values.size()) {
      throw new IllegalArgumentException("a last key has " + (values.size() - offset)
          + " bytes of values beyond its lengths");
    }
    return new LastKey(parts);
  }
}
