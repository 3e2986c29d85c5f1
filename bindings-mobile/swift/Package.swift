// swift-tools-version:5.9
// The Poolbook Swift package: module `Poolbook` (uniffi's generated
// Poolbook.swift beside the handwritten Support.swift) over the C module
// `poolbookFFI` (the generated header) and the compiled Rust library.
//
// Before building, generate the sources into this folder (the README's
// "Kotlin and Swift" section; scripts/check-mobile does it on every run):
//   Sources/Poolbook/Poolbook.swift          uniffi-bindgen … --language swift
//   Sources/poolbookFFI/poolbookFFI.h        from the same run
//   Sources/poolbookFFI/module.modulemap     (Linux) the module, linking poolbook_mobile
//   PoolbookFFI.xcframework                  (Apple) the static libraries and headers
//
// On Linux the library is the one cargo built (libpoolbook_mobile.so):
//   swift build -Xlinker -L<dir> -Xlinker -rpath -Xlinker <dir>
// and the same flags for `swift test`. On Apple platforms it is the
// XCFramework, a binary target, so an app adds this package and nothing else.
import PackageDescription

#if os(Linux)
let ffi: Target = .systemLibrary(name: "poolbookFFI", path: "Sources/poolbookFFI")
#else
let ffi: Target = .binaryTarget(name: "poolbookFFI", path: "PoolbookFFI.xcframework")
#endif

let package = Package(
    name: "Poolbook",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [.library(name: "Poolbook", targets: ["Poolbook"])],
    targets: [
        ffi,
        .target(name: "Poolbook", dependencies: ["poolbookFFI"], path: "Sources/Poolbook"),
        .testTarget(name: "PoolbookTests", dependencies: ["Poolbook"], path: "Tests/PoolbookTests"),
    ]
)
