// Issue 20 from Kotlin: spreadsheet import (guessed mapping, dry run naming
// a bad cell, commit, re-import, undo, saved mappings and presets) and the
// lossless book file (export, import into an empty book, refusal of a
// non-empty one), against the compiled library.
import java.io.File
import org.junit.Assert.assertEquals
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test
import poolbook.*

class ImportExportTest {
    private val csv = """
        |Customer ID,Customer Name,Mobile Phone,Email,Service Address,City,State,Zip,Gallons,Gate Code
        |K-1,Ann Lee,(813) 555-0101,ann@example.com,1 Bay Rd,Tampa,FL,33602,12000,1234
        |K-2,Bo Li,12,bo@example.com,2 Bay Rd,Tampa,FL,33602,9000,
        |""".trimMargin()

    private fun tempDir(): File = kotlin.io.path.createTempDirectory("poolbook-kt").toFile()

    @Test
    fun spreadsheetImportPlanCommitReimportUndo() {
        val file = File(tempDir(), "customers.csv").apply { writeText(csv) }
        Book.openInMemory().unlocked().use { book ->
            val source = ImportSource(path = file.path)
            val mapping = book.guessImportMapping(source, "route sheet")
            assertEquals(ImportField.KEY, mapping.columns.first { it.column == "Customer ID" }.field)
            assertEquals(ImportField.GATE_CODE, mapping.columns.first { it.column == "Gate Code" }.field)

            val plan = book.planImport(source, mapping)
            assertEquals(1uL, plan.creates)
            assertEquals(RowAction.ERROR, plan.rows[1].action)
            assertEquals(3uL, plan.rows[1].row)
            assertEquals("Mobile Phone", plan.rows[1].problems[0].column)
            assertTrue(book.listCustomers(CustomerQuery(archived = ArchivedFilter.INCLUDE)).customers.isEmpty())

            val result = book.commitImport(source, mapping, office)
            val ann = book.listCustomers(CustomerQuery(archived = ArchivedFilter.EXCLUDE)).customers.single()
            assertEquals("Ann Lee", ann.displayName)
            assertEquals("1234", book.gateCodeOf(ann.locations[0].id))
            val again = book.commitImport(source, mapping, office)
            assertEquals(0uL, again.plan.creates)
            assertEquals(1uL, again.plan.skips)

            val undo = book.undoImport(result.importId, office)
            assertEquals(listOf(ann.id), undo.archived)
            val twice = assertThrows(PoolbookException.Invalid::class.java) { book.undoImport(result.importId, office) }
            assertTrue(twice.message, twice.message!!.contains("already undone"))

            book.saveImportMapping(mapping, office)
            assertEquals(listOf("route sheet"), book.importMappings().map { it.name })
            assertTrue(book.importPresets().any { it.name == "pool_route_export" })
        }
    }

    @Test
    fun bookFileRoundTripIntoAnEmptyBook() {
        val dir = tempDir()
        val path = File(dir, "book.jsonl").path
        Book.openInMemory().unlocked().use { book ->
            val created = book.createCustomer(newCustomer(), office)
            val header = book.exportBook(path)
            assertEquals(1uL, header.counts.first { it.table == "customers" }.rows)
            Book.open(File(dir, "copy.sqlite").path).use { copy ->
                copy.importBook(path)
                assertEquals(book.customer(created.id), copy.customer(created.id))
                val refused = assertThrows(PoolbookException.Invalid::class.java) { copy.importBook(path) }
                assertTrue(refused.message, refused.message!!.contains("not empty"))
            }
        }
    }
}
