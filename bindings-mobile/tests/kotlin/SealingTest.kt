// Issue 16 from Kotlin: gate codes sealed under a key a Kotlin object
// provides (as an Android Keystore-backed provider would), the locked,
// wrong-key and tampered errors, audited reveals and key rotation.
import java.io.File
import org.junit.Assert.assertArrayEquals
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test
import poolbook.*

/** A key provider written in Kotlin: hands back its key and remembers the salts it was given. */
class Keychain(private val key: ByteArray?) : KeyProvider {
    val salts = mutableListOf<ByteArray>()

    override fun keyEncryptionKey(salt: ByteArray): ByteArray? {
        salts.add(salt)
        return key
    }
}

class SealingTest {
    @Test
    fun aKotlinKeyProviderSealsCodesThatNeverReachTheFile() {
        val file = File.createTempFile("poolbook-sealed", ".db").also { it.delete() }
        val keychain = Keychain(ByteArray(32) { 7 })
        val maria = Book.open(file.path).use { book ->
            assertFalse(book.isUnlocked())
            book.unlock(keychain)
            assertTrue(book.isUnlocked())
            book.createCustomer(newCustomer(), office)
        }
        assertFalse("the file holds no code", String(file.readBytes(), Charsets.ISO_8859_1).contains("4417#"))
        Book.open(file.path).use { book ->
            val home = maria.locations[0].id
            assertThrows(PoolbookException.Locked::class.java) {
                book.revealSecret(home, SecretField.GATE_CODE, office, "at the gate")
            }
            assertThrows(PoolbookException.WrongKey::class.java) { book.unlock(Keychain(ByteArray(32) { 8 })) }
            assertThrows(PoolbookException.Locked::class.java) { book.unlock(Keychain(null)) }
            book.unlock(keychain)
            assertArrayEquals("the book hands back its stored salt", keychain.salts[0], keychain.salts[1])
            val code = book.revealSecret(home, SecretField.GATE_CODE, office, "at the gate")!!
            assertEquals("4417#", code.reveal())
            assertNull(book.revealSecret(home, SecretField.ALARM_CODE, office, "no alarm"))
            val audit = book.secretReveals(SecretRevealQuery(authorId = office.id))
            assertEquals(listOf("at the gate"), audit.map { it.reason })
            assertFalse(audit.toString().contains("4417"))

            book.rotateKeyEncryptionKey(staticKeyProvider(ByteArray(32) { 9 }), office)
            book.rotateDataKey(passphraseKeyProvider("a long enough passphrase"), office)
            assertEquals("4417#", book.gateCodeOf(home))
            book.lock()
            assertFalse(book.isUnlocked())
        }
        Book.open(file.path).use { book ->
            assertThrows(PoolbookException.WrongKey::class.java) { book.unlock(keychain) }
            book.unlock(passphraseKeyProviderWithCost("a long enough passphrase", 19456u, 2u))
        }
    }

    @Test
    fun aTamperedBlobIsItsOwnError() {
        val file = File.createTempFile("poolbook-tamper", ".db").also { it.delete() }
        val maria = Book.open(file.path).unlocked().use { book -> book.createCustomer(newCustomer(), office) }
        val home = maria.locations[0].id
        val annHome = Book.open(file.path).unlocked().use { book ->
            // Another location's sealed code, pasted into this one, is refused: it opens only where it was sealed.
            val ann = book.createCustomer(newCustomer(name = "Ann Lee"), office)
            val stolen = book.customer(maria.id).locations[0].access.gateCode!!
            val forged = ann.locations[0].copy(access = ann.locations[0].access.copy(gateCode = stolen))
            assertThrows(PoolbookException.Invalid::class.java) {
                book.updateCustomer(ann.id, ann.version, CustomerPatch(locations = listOf(forged)), office)
            }
            assertEquals("4417#", book.gateCodeOf(home))
            ann.locations[0].id
        }
        // One flipped byte inside the sealed blob in the file: that code alone fails to open.
        val keyId = Book.open(file.path).use { book ->
            val made = book.changeLog(ChangeLogQuery(entity = EntityKind.SETTING, entityId = "data_key")).single()
            made.changes.single().after.trim('"')
        }
        // The key id starts the wrapped data key and both sealed codes: damage
        // each in turn; the wrapped key is the canary (a wrong key), each code fails alone.
        val bytes = file.readBytes()
        val marker = byteArrayOf(1) + keyId.chunked(2).map { it.toInt(16).toByte() }.toByteArray()
        val starts = (0..bytes.size - marker.size).filter { i -> marker.indices.all { bytes[i + it] == marker[it] } }
        assertEquals(3, starts.size)
        var damagedCodes = 0
        for (start in starts) {
            val copy = bytes.copyOf()
            copy[start + marker.size + 24 + 2] = (copy[start + marker.size + 24 + 2].toInt() xor 1).toByte()
            file.writeBytes(copy)
            Book.open(file.path).use { book ->
                if (runCatching { book.unlock(testKey) }.exceptionOrNull() is PoolbookException.WrongKey) return@use
                val failed = listOf(home, annHome).filter { location ->
                    runCatching { book.gateCodeOf(location) }.exceptionOrNull() is PoolbookException.TamperedSecret
                }
                assertEquals("exactly the damaged code fails to open", 1, failed.size)
                val error = assertThrows(PoolbookException.TamperedSecret::class.java) { book.gateCodeOf(failed[0]) }
                assertTrue(error.message!!, error.message!!.contains(failed[0]))
                damagedCodes += 1
            }
        }
        assertEquals(2, damagedCodes)
    }
}
