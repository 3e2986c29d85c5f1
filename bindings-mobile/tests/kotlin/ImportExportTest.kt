// Issue 20 from Kotlin: the lossless book file (export, import into an
// empty book, refusal of a non-empty one and of a truncated file), against
// the compiled library. Spreadsheet import is not in the phone library
// (core's `spreadsheet` feature: an office imports, a phone does not).
import java.io.File
import org.junit.Assert.assertEquals
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test
import poolbook.*

class ImportExportTest {
    private fun tempDir(): File = kotlin.io.path.createTempDirectory("poolbook-kt").toFile()

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
            val truncated = File(dir, "truncated.jsonl").apply { writeText(File(path).readLines().take(3).joinToString("\n")) }
            Book.openInMemory().use { other ->
                val error = assertThrows(PoolbookException.Invalid::class.java) { other.importBook(truncated.path) }
                assertTrue(error.message, error.message!!.contains("line 3: ") && error.message!!.contains("truncated"))
            }
        }
    }
}
