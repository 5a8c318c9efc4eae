package dev.sourcevitess.mysql;

import java.util.regex.Pattern;

/**
 * Recognises the tables Vitess creates for its own work, which are not the user's data: table
 * lifecycle (garbage collection) renames, VReplication and online-DDL shadow tables. Every pattern
 * must match the whole name, so user tables that merely contain such text stay visible.
 */
final class VitessInternalTables {
  private static final String UUID =
      "[0-9a-fA-F]{8}_[0-9a-fA-F]{4}_[0-9a-fA-F]{4}_[0-9a-fA-F]{4}_[0-9a-fA-F]{12}";
  private static final String TIMESTAMP = "[0-9]{14}";

  /**
   * {@code _vt_hld_<uuid>_<time>_} (Vitess 18+ hints hld, prg, evc, drp, vrp and the online-DDL
   * ones) and {@code _vt_HOLD_<uuid>_<time>} (older lifecycle states); then the older
   * underscore-UUID names: GC tables {@code _<uuid>_<time>} and online-DDL tables with a
   * {@code _gho}, {@code _ghc}, {@code _del}, {@code _new} or {@code _vrepl} suffix.
   */
  private static final Pattern INTERNAL = Pattern.compile(
      "_vt_(hld|prg|evc|drp|vrp|gho|ghc|del|DROP|HOLD|EVAC|PURGE)_.*"
          + "|_" + UUID + "_" + TIMESTAMP + "(_(gho|ghc|del|new|vrepl))?",
      Pattern.DOTALL);

  private VitessInternalTables() {}

  static boolean isInternal(String tableName) {
    return INTERNAL.matcher(tableName).matches();
  }
}
