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
        Book.open(file.path).unlocked().use { book ->
            // Another location's sealed code, pasted into this one, is refused: it opens only where it was sealed.
            val ann = book.createCustomer(newCustomer(name = "Ann Lee"), office)
            val stolen = book.customer(maria.id).locations[0].access.gateCode!!
            val forged = ann.locations[0].copy(access = ann.locations[0].access.copy(gateCode = stolen))
            assertThrows(PoolbookException.Invalid::class.java) {
                book.updateCustomer(ann.id, ann.version, CustomerPatch(locations = listOf(forged)), office)
            }
            assertEquals("4417#", book.gateCodeOf(home))
        }
    }
}
