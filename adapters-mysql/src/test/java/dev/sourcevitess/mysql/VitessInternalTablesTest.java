package dev.sourcevitess.mysql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VitessInternalTablesTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "_vt_hld_6ace8bcef73211ea87e9f875a4d24e90_20200915120410_",
      "_vt_prg_6ace8bcef73211ea87e9f875a4d24e90_20200915120410_",
      "_vt_evc_6ace8bcef73211ea87e9f875a4d24e90_20200915120410_",
      "_vt_drp_6ace8bcef73211ea87e9f875a4d24e90_20200915120410_",
      "_vt_vrp_6ace8bcef73211ea87e9f875a4d24e90_20200915120410_",
      "_vt_gho_6ace8bcef73211ea87e9f875a4d24e90_20200915120410_",
      "_vt_HOLD_6ace8bcef73211ea87e9f875a4d24e90_20200915120410",
      "_vt_PURGE_6ace8bcef73211ea87e9f875a4d24e90_20200915120410",
      "_vt_EVAC_6ace8bcef73211ea87e9f875a4d24e90_20200915120410",
      "_vt_DROP_6ace8bcef73211ea87e9f875a4d24e90_20200915120410",
      "_6ace8bce_f732_11ea_87e9_f875a4d24e90_20200915120410",
      "_6ace8bce_f732_11ea_87e9_f875a4d24e90_20200915120410_vrepl",
      "_6ace8bce_f732_11ea_87e9_f875a4d24e90_20200915120410_gho",
      "_6ace8bce_f732_11ea_87e9_f875a4d24e90_20200915120410_ghc",
      "_6ace8bce_f732_11ea_87e9_f875a4d24e90_20200915120410_del",
      "_6ace8bce_f732_11ea_87e9_f875a4d24e90_20200915120410_new"})
  void hidesVitessTables(String name) {
    assertTrue(VitessInternalTables.isInternal(name), name);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "orders", "my_vt_hld_x", "orders_vrepl", "_vt_custom", "vt_hld_x", "_vt_hldx",
      "x_6ace8bce_f732_11ea_87e9_f875a4d24e90_20200915120410_vrepl",
      "_6ace8bce_f732_11ea_87e9_f875a4d24e90_20200915120410_vrepl_copy",
      "_6ace8bce_f732_11ea_87e9_f875a4d24e90_2020091512041_vrepl",
      "_6ace8bce_f732_11ea_87e9_f875a4d24e9_20200915120410",
      "_6ace8bcg_f732_11ea_87e9_f875a4d24e90_20200915120410",
      "_6ace8bce_f732_11ea_87e9_f875a4d24e90_20200915120410\n"})
  void keepsUserTables(String name) {
    assertFalse(VitessInternalTables.isInternal(name), name);
  }
}
