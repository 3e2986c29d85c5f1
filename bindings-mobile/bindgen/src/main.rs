//! The uniffi bindgen for poolbook's mobile bindings: `uniffi-bindgen
//! generate <libpoolbook_mobile.so> --language kotlin|swift --out-dir DIR`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
