// DuckDB as the build finds it (bundles/duckdb/CMakeLists.txt): the pinned release, working
// through the C API the bundle will use. The bundle itself is not written yet.
#include <duckdb.h>
#include <gtest/gtest.h>

#include <string>

namespace {

TEST(DuckDbNative, ThePinnedReleaseAnswersThroughTheCApi) {
  EXPECT_EQ(std::string(duckdb_library_version()), "v1.4.4");
  duckdb_database db = nullptr;
  duckdb_connection con = nullptr;
  ASSERT_EQ(duckdb_open(nullptr, &db), DuckDBSuccess);  // in memory
  ASSERT_EQ(duckdb_connect(db, &con), DuckDBSuccess);
  duckdb_result result;
  ASSERT_EQ(duckdb_query(con, "CREATE TABLE t (id INTEGER, name VARCHAR)", &result),
            DuckDBSuccess);
  duckdb_destroy_result(&result);
  ASSERT_EQ(duckdb_query(con, "INSERT INTO t VALUES (1, 'one'), (2, 'two')", &result),
            DuckDBSuccess);
  EXPECT_EQ(duckdb_rows_changed(&result), 2u);
  duckdb_destroy_result(&result);
  ASSERT_EQ(duckdb_query(con, "SELECT sum(id), max(name) FROM t", &result), DuckDBSuccess);
  EXPECT_EQ(duckdb_value_int64(&result, 0, 0), 3);
  char* name = duckdb_value_varchar(&result, 1, 0);
  EXPECT_EQ(std::string(name), "two");
  duckdb_free(name);
  duckdb_destroy_result(&result);

  // Errors come back with DuckDB's type and message.
  EXPECT_EQ(duckdb_query(con, "SELEC 1", &result), DuckDBError);
  EXPECT_EQ(duckdb_result_error_type(&result), DUCKDB_ERROR_PARSER);
  EXPECT_NE(std::string(duckdb_result_error(&result)).find("syntax error"), std::string::npos);
  duckdb_destroy_result(&result);
  duckdb_disconnect(&con);
  duckdb_close(&db);
}

}  // namespace
