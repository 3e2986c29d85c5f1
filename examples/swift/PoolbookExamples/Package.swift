// swift-tools-version:5.9
// poolbook's Swift examples as an app would build them: a package that
// depends on the Poolbook package (bindings-mobile/swift) by path, as an
// app's Package.swift or Xcode project would by URL or path. (It has a
// folder of its own: SwiftPM names a path dependency after its folder, and
// the two must differ.)
//   FieldApp  a field app's first screen (Sources/FieldApp/main.swift)
//   FieldDay  a technician's day over the demo company (Sources/FieldDay/main.swift)
// scripts/check-mobile builds and runs both (and the README's Swift
// snippet as a third target it adds to its copy).
import PackageDescription

let package = Package(
    name: "PoolbookExamples",
    platforms: [.iOS(.v15), .macOS(.v12)],
    dependencies: [.package(name: "Poolbook", path: "../../../bindings-mobile/swift")],
    targets: [
        .executableTarget(
            name: "FieldApp", dependencies: [.product(name: "Poolbook", package: "Poolbook")],
            path: "Sources/FieldApp"),
        .executableTarget(
            name: "FieldDay", dependencies: [.product(name: "Poolbook", package: "Poolbook")],
            path: "Sources/FieldDay"),
    ]
)
