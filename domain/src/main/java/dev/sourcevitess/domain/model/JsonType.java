package dev.sourcevitess.domain.model;

import java.util.Objects;

/**
 * How a column appears in a stream's JSON schema.
 *
 * @param type the JSON schema type: {@code boolean}, {@code number} or {@code string}
 * @param format the JSON schema format, or null
 * @param airbyteType Airbyte's {@code airbyte_type}, or null
 */
public record JsonType(String type, String format, String airbyteType) {
  public static final JsonType BOOLEAN = new JsonType("boolean", null, null);
  public static final JsonType INTEGER = new JsonType("number", null, "integer");
  public static final JsonType NUMBER = new JsonType("number", null, null);
  public static final JsonType STRING = new JsonType("string", null, null);
  public static final JsonType DATE = new JsonType("string", "date", null);
  public static final JsonType TIMESTAMP_WITHOUT_TIMEZONE =
      new JsonType("string", "date-time", "timestamp_without_timezone");
  public static final JsonType TIMESTAMP_WITH_TIMEZONE =
      new JsonType("string", "date-time", "timestamp_with_timezone");
  public static final JsonType TIME_WITHOUT_TIMEZONE =
      new JsonType("string", "time", "time_without_timezone");

  public JsonType {
    Objects.requireNonNull(type, "type");
  }
}
