import Foundation

/// Every radio model of LitfassRadio by name, with parameters, units, validity ranges and an
/// evaluator: the data behind `litfass model`.
public enum ModelCatalog {
    /// All models, in the order `litfass model --list` shows them.
    public static let models: [RadioModel] = [
        fspl, m38901(.uma, "38901-uma"), m38901(.umi, "38901-umi"), m38901(.rma, "38901-rma"), inh, o2i,
        p1411Below, p1411Above, p1411Low, knifeEdge, deltaBullington, heightGain, terrestrial, earthSpace, p2109,
        throughput, peakRate, hata,
    ]

    /// The model of that name.
    /// - Throws: `RadioModelError.unknownModel`.
    public static func model(named name: String) throws -> RadioModel {
        guard let model = models.first(where: { $0.name == name }) else { throw RadioModelError.unknownModel(name: name) }
        return model
    }

    /// Evaluates a model by name. See `RadioModel.evaluate(parameters:files:allowExtrapolation:)`.
    /// - Throws: `RadioModelError.unknownModel` and the model's errors.
    public static func evaluate(model name: String, parameters: [String: Double], files: [String: String] = [:],
                                allowExtrapolation: Bool = false) throws -> Double {
        try model(named: name).evaluate(parameters: parameters, files: files, allowExtrapolation: allowExtrapolation)
    }

    // MARK: Parameter helpers

    static func frequency(_ range: ValidRange, requirement: ModelParameter.Requirement = .required) -> ModelParameter {
        ModelParameter("frequencyHz", unit: "Hz", "carrier frequency", valid: range, domain: .positive, requirement: requirement)
    }
    static let los = ModelParameter.code("los", "1 = line of sight, 0 = non line of sight", codes: 0...1)

    // MARK: Models

    static let fspl = RadioModel(
        name: "fspl", summary: "free-space path loss, ITU-R P.525-4 eq. (5)/(6)",
        parameters: [
            ModelParameter("distanceMeters", unit: "m", "distance between the antennas (at least one wavelength)",
                           valid: .positive, domain: .positive),
            frequency(FreeSpace.frequencyRangeHz),
        ], resultName: "pathLossDB", resultUnit: "dB"
    ) { x in
        try FreeSpace.checkedPathLossDB(distanceMeters: x["distanceMeters"], frequencyHz: x["frequencyHz"],
                                        allowExtrapolation: x.allowExtrapolation)
    }

    static func m38901(_ scenario: PathLoss38901.Scenario, _ name: String) -> RadioModel {
        let v = PathLoss38901.validity(scenario)
        let bsDefault: Double = scenario == .uma ? 25 : scenario == .umi ? 10 : 35
        var parameters = [
            ModelParameter("distance2DMeters", unit: "m",
                           scenario == .rma ? "ground distance BS–UT (NLOS valid to 5 km)" : "ground distance BS–UT",
                           valid: v.distance2DLOSMeters, domain: ValidRange(0, .infinity)),
            ModelParameter("distance3DMeters", unit: "m", "slant distance BS–UT", valid: .positive, domain: .positive,
                           requirement: .derived("sqrt(distance2DMeters² + (bsHeightMeters − utHeightMeters)²)")),
            frequency(v.frequencyHz),
            ModelParameter("bsHeightMeters", unit: "m", "base-station antenna height", valid: v.bsHeightMeters,
                           domain: .positive, requirement: .defaultValue(bsDefault)),
            ModelParameter("utHeightMeters", unit: "m", "user-terminal antenna height", valid: v.utHeightMeters,
                           domain: .positive, requirement: .defaultValue(1.5)),
            los,
        ]
        if scenario == .rma {
            parameters.append(ModelParameter("averageBuildingHeightMeters", unit: "m", "average building height h",
                                             valid: v.averageBuildingHeightMeters, domain: .positive, requirement: .defaultValue(5)))
            parameters.append(ModelParameter("streetWidthMeters", unit: "m", "average street width W",
                                             valid: v.streetWidthMeters, domain: .positive, requirement: .defaultValue(20)))
        }
        return RadioModel(
            name: name, summary: "3GPP TR 38.901 Table 7.4.1-1 \(scenario.rawValue) path loss (median, no shadowing)",
            parameters: parameters, resultName: "pathLossDB", resultUnit: "dB"
        ) { x in
            let d2 = x["distance2DMeters"], hb = x["bsHeightMeters"], hu = x["utHeightMeters"]
            let d3 = x.optional("distance3DMeters") ?? (d2 * d2 + (hb - hu) * (hb - hu)).squareRoot()
            return try PathLoss38901.checkedPathLossDB(
                scenario: scenario, lineOfSight: x["los"] == 1, distance2DMeters: d2, distance3DMeters: d3,
                frequencyHz: x["frequencyHz"], bsHeightMeters: hb, utHeightMeters: hu,
                averageBuildingHeightMeters: x.optional("averageBuildingHeightMeters") ?? 5,
                streetWidthMeters: x.optional("streetWidthMeters") ?? 20, allowExtrapolation: x.allowExtrapolation)
        }
    }

    static let inh = RadioModel(
        name: "38901-inh", summary: "3GPP TR 38.901 Table 7.4.1-1 InH-Office path loss (median, no shadowing)",
        parameters: [
            ModelParameter("distance3DMeters", unit: "m", "3-D distance", valid: PathLoss38901.inhDistance3DRangeMeters,
                           domain: .positive),
            frequency(PathLoss38901.validity(.inh).frequencyHz),
            los,
        ], resultName: "pathLossDB", resultUnit: "dB"
    ) { x in
        try PathLoss38901.checkedPathLossDB(scenario: .inh, lineOfSight: x["los"] == 1, distance2DMeters: 0,
                                            distance3DMeters: x["distance3DMeters"], frequencyHz: x["frequencyHz"],
                                            bsHeightMeters: 3, utHeightMeters: 1, allowExtrapolation: x.allowExtrapolation)
    }

    static let o2i = RadioModel(
        name: "38901-o2i",
        summary: "3GPP TR 38.901 §7.4.3.1 O2I penetration loss PL_tw + PL_in (mean; add to the outdoor path loss)",
        parameters: [
            frequency(O2IPenetration38901.frequencyRangeHz),
            ModelParameter.code("buildingModel", "0 = low-loss, 1 = high-loss building", codes: 0...1,
                                requirement: .defaultValue(0)),
            ModelParameter("indoorDistanceMeters", unit: "m", "2-D indoor distance d_2D-in (default: median of the TR's draw)",
                           valid: ValidRange(0, 25), domain: ValidRange(0, .infinity),
                           requirement: .defaultValue(O2IPenetration38901.IndoorDistance.median(maximumMeters: 25).meters)),
        ], resultName: "penetrationLossDB", resultUnit: "dB"
    ) { x in
        try O2IPenetration38901.checkedLossDB(frequencyHz: x["frequencyHz"],
                                              model: x["buildingModel"] == 1 ? .highLoss : .lowLoss,
                                              indoorDistanceMeters: x["indoorDistanceMeters"],
                                              allowExtrapolation: x.allowExtrapolation)
    }

    static let p1411Below = RadioModel(
        name: "p1411-below-roof",
        summary: "ITU-R P.1411-11 §4.1.1 site-general, both ends below rooftop (median; ranges per environment, Table 4)",
        parameters: [
            ModelParameter("distance3DMeters", unit: "m", "3-D distance", valid: ValidRange(5, 715), domain: .positive),
            frequency(ValidRange(0.8e9, 82e9)),
            ModelParameter.code("environment", "1 = LoS (urban/suburban), 2 = NLoS urban high-rise, "
                                + "3 = NLoS urban low-rise/suburban, 4 = NLoS residential", codes: 1...4),
        ], resultName: "pathLossDB", resultUnit: "dB"
    ) { x in
        let env: P1411.BelowRooftopEnvironment = [.lineOfSight, .nlosUrbanHighRise, .nlosUrbanLowRiseSuburban,
                                                  .nlosResidential][Int(x["environment"]) - 1]
        return try P1411.checkedBelowRooftopLossDB(distance3DMeters: x["distance3DMeters"], frequencyHz: x["frequencyHz"],
                                                   environment: env, allowExtrapolation: x.allowExtrapolation)
    }

    static let p1411Above = RadioModel(
        name: "p1411-above-roof",
        summary: "ITU-R P.1411-11 §4.2.1 site-general, one end above rooftop (median; ranges per environment, Table 8)",
        parameters: [
            ModelParameter("distance3DMeters", unit: "m", "3-D distance", valid: ValidRange(55, 1200), domain: .positive),
            frequency(ValidRange(2.2e9, 73e9)),
            ModelParameter.code("environment", "1 = LoS urban high-rise, 2 = NLoS urban high-rise", codes: 1...2),
        ], resultName: "pathLossDB", resultUnit: "dB"
    ) { x in
        try P1411.checkedAboveRooftopLossDB(distance3DMeters: x["distance3DMeters"], frequencyHz: x["frequencyHz"],
                                            environment: x["environment"] == 1 ? .lineOfSight : .nlosUrbanHighRise,
                                            allowExtrapolation: x.allowExtrapolation)
    }

    static let p1411Low = RadioModel(
        name: "p1411-low-height",
        summary: "ITU-R P.1411-11 §4.3.1 site-general, both terminals near street level (location percentage p)",
        parameters: [
            ModelParameter("distanceMeters", unit: "m", "distance between the terminals",
                           valid: P1411.lowHeightDistanceRangeMeters, domain: .positive),
            frequency(P1411.lowHeightFrequencyRangeHz),
            ModelParameter("locationPercent", unit: "%", "percentage of locations p",
                           valid: P1411.lowHeightLocationPercentRange, domain: P1411.lowHeightLocationPercentRange,
                           requirement: .defaultValue(50)),
            ModelParameter("transitionWidthMeters", unit: "m", "LoS/NLoS transition width w", valid: .positive,
                           domain: .positive, requirement: .defaultValue(20)),
            ModelParameter.code("environment", "1 = suburban, 2 = urban, 3 = dense urban/high-rise", codes: 1...3),
        ], resultName: "pathLossDB", resultUnit: "dB"
    ) { x in
        let env: P1411.LowHeightEnvironment = [.suburban, .urban, .denseUrban][Int(x["environment"]) - 1]
        return try P1411.checkedLowHeightLossDB(distanceMeters: x["distanceMeters"], frequencyHz: x["frequencyHz"],
                                                locationPercent: x["locationPercent"],
                                                transitionWidthMeters: x["transitionWidthMeters"], environment: env,
                                                allowExtrapolation: x.allowExtrapolation)
    }

    static let knifeEdge = RadioModel(
        name: "p526-knife-edge", summary: "ITU-R P.526-15 single knife edge: ν of eq. (26), J(ν) of eq. (31)",
        parameters: [
            ModelParameter("heightAboveLineMeters", unit: "m", "edge height above the Tx–Rx line (negative below)",
                           valid: .any),
            ModelParameter("distanceFromTxMeters", unit: "m", "transmitter to edge", valid: .positive, domain: .positive),
            ModelParameter("distanceToRxMeters", unit: "m", "edge to receiver", valid: .positive, domain: .positive),
            frequency(ValidRange(30e6, 3e12)),
        ], resultName: "diffractionLossDB", resultUnit: "dB"
    ) { x in
        let nu = KnifeEdge.fresnelParameter(heightAboveLineMeters: x["heightAboveLineMeters"],
                                            distanceFromTxMeters: x["distanceFromTxMeters"],
                                            distanceToRxMeters: x["distanceToRxMeters"],
                                            wavelengthMeters: 299_792_458.0 / x["frequencyHz"])
        return KnifeEdge.lossDB(nu: nu)
    }

    static let deltaBullington = RadioModel(
        name: "p526-delta-bullington",
        summary: "ITU-R P.526-15 §4.5 / P.452-17 §4.2 delta-Bullington diffraction over a terrain profile CSV",
        parameters: [
            ModelParameter("txHeightAboveGroundMeters", unit: "m", "transmitter antenna above its ground point",
                           valid: .positive, domain: .positive),
            ModelParameter("rxHeightAboveGroundMeters", unit: "m", "receiver antenna above its ground point",
                           valid: .positive, domain: .positive),
            frequency(DeltaBullington.frequencyRangeHz),
            ModelParameter("effectiveEarthRadiusMeters", unit: "m", "effective earth radius a_e", valid: .positive,
                           domain: .positive, requirement: .defaultValue(8_500_000)),
            ModelParameter.code("polarization", "0 = horizontal, 1 = vertical", codes: 0...1, requirement: .defaultValue(0)),
            ModelParameter("profileDistanceScale", unit: "m per unit",
                           "metres per distance unit of the profile file (1000 for km)", valid: .positive,
                           domain: .positive, requirement: .defaultValue(1)),
        ],
        fileParameters: [(name: "profile", description: "CSV of distance,height (m above sea level), Tx first, Rx last")],
        resultName: "diffractionLossDB", resultUnit: "dB"
    ) { x in
        let profile = try TerrainProfile.readCSV(path: x.files["profile"]!, distanceScale: x["profileDistanceScale"])
        return try DeltaBullington.checkedLossDB(profile: profile, txHeightAboveGroundMeters: x["txHeightAboveGroundMeters"],
                                                 rxHeightAboveGroundMeters: x["rxHeightAboveGroundMeters"],
                                                 frequencyHz: x["frequencyHz"],
                                                 effectiveEarthRadiusMeters: x["effectiveEarthRadiusMeters"],
                                                 polarization: x["polarization"] == 1 ? .vertical : .horizontal,
                                                 allowExtrapolation: x.allowExtrapolation)
    }

    static let heightGain = RadioModel(
        name: "p2108-height-gain", summary: "ITU-R P.2108-1 §3.1 height-gain terminal correction A_h",
        parameters: [
            frequency(P2108.heightGainFrequencyRangeHz),
            ModelParameter("heightMeters", unit: "m", "terminal antenna height", valid: .positive, domain: .positive),
            ModelParameter("streetWidthMeters", unit: "m", "street width w_s", valid: .positive, domain: .positive,
                           requirement: .defaultValue(27)),
            ModelParameter("representativeHeightMeters", unit: "m", "representative clutter height R",
                           valid: .positive, domain: .positive,
                           requirement: .derived("Table 3 default of the clutter type (10/10/10/15/15/20 m)")),
            ModelParameter.code("clutterType", "1 water/sea, 2 open/rural, 3 suburban, 4 urban, 5 trees/forest, 6 dense urban",
                                codes: 1...6),
        ], resultName: "heightGainCorrectionDB", resultUnit: "dB"
    ) { x in
        try P2108.heightGainCorrectionDB(frequencyHz: x["frequencyHz"], heightMeters: x["heightMeters"],
                                         streetWidthMeters: x["streetWidthMeters"],
                                         representativeHeightMeters: x.optional("representativeHeightMeters"),
                                         clutterTypeCode: Int(x["clutterType"]), allowExtrapolation: x.allowExtrapolation)
    }

    static let terrestrial = RadioModel(
        name: "p2108-terrestrial", summary: "ITU-R P.2108-1 §3.2 terrestrial clutter loss at one end, p % of locations",
        parameters: [
            frequency(P2108.terrestrialFrequencyRangeHz),
            ModelParameter("distanceKm", unit: "km", "path length", valid: P2108.terrestrialDistanceRangeKm, domain: .positive),
            ModelParameter("percentage", unit: "%", "percentage of locations", valid: P2108.percentageRange,
                           domain: P2108.percentageRange, requirement: .defaultValue(50)),
        ], resultName: "clutterLossDB", resultUnit: "dB"
    ) { x in
        try P2108.terrestrialClutterLossDB(frequencyHz: x["frequencyHz"], distanceKm: x["distanceKm"],
                                           percentage: x["percentage"], allowExtrapolation: x.allowExtrapolation)
    }

    static let earthSpace = RadioModel(
        name: "p2108-earth-space", summary: "ITU-R P.2108-1 §3.3 earth-space / aeronautical clutter loss",
        parameters: [
            frequency(P2108.earthSpaceFrequencyRangeHz),
            ModelParameter("elevationDeg", unit: "deg", "elevation angle", valid: P2108.earthSpaceElevationRangeDeg,
                           domain: P2108.earthSpaceElevationRangeDeg),
            ModelParameter("percentage", unit: "%", "percentage of locations", valid: P2108.percentageRange,
                           domain: P2108.percentageRange, requirement: .defaultValue(50)),
        ], resultName: "clutterLossDB", resultUnit: "dB"
    ) { x in
        try P2108.earthSpaceClutterLossDB(frequencyHz: x["frequencyHz"], elevationDeg: x["elevationDeg"],
                                          percentage: x["percentage"], allowExtrapolation: x.allowExtrapolation)
    }

    static let p2109 = RadioModel(
        name: "p2109", summary: "ITU-R P.2109-1 building entry loss not exceeded with probability P",
        parameters: [
            frequency(P2109.frequencyRangeHz),
            ModelParameter("probabilityPercent", unit: "%", "probability P", valid: P2109.probabilityRangePercent,
                           domain: P2109.probabilityRangePercent, requirement: .defaultValue(50)),
            ModelParameter("elevationDeg", unit: "deg", "elevation of the path at the facade",
                           valid: P2109.elevationRangeDeg, domain: P2109.elevationRangeDeg, requirement: .defaultValue(0)),
            ModelParameter.code("buildingClass", "1 = traditional, 2 = thermally efficient", codes: 1...2,
                                requirement: .defaultValue(1)),
        ], resultName: "buildingEntryLossDB", resultUnit: "dB"
    ) { x in
        try P2109.checkedLossDB(frequencyHz: x["frequencyHz"], probabilityPercent: x["probabilityPercent"],
                                elevationDeg: x["elevationDeg"],
                                buildingClass: x["buildingClass"] == 2 ? .thermallyEfficient : .traditional,
                                allowExtrapolation: x.allowExtrapolation)
    }

    static let throughput = RadioModel(
        name: "throughput", summary: "3GPP TR 36.942 Annex A.2 attenuated Shannon mapping SINR → throughput",
        parameters: [
            ModelParameter("sinrDB", unit: "dB", "signal to interference and noise ratio", valid: .any),
            ModelParameter("bandwidthHz", unit: "Hz", "occupied bandwidth", valid: .positive, domain: .positive),
            ModelParameter.code("direction", "0 = downlink (α 0.6, −10…22 dB), 1 = uplink (α 0.4, −10…15 dB)",
                                codes: 0...1, requirement: .defaultValue(0)),
        ], resultName: "throughputBitsPerSecond", resultUnit: "bit/s"
    ) { x in
        (x["direction"] == 1 ? ShannonMapping.uplink : .downlink)
            .throughputBitsPerSecond(sinrDB: x["sinrDB"], bandwidthHz: x["bandwidthHz"])
    }

    static let peakRate = RadioModel(
        name: "peak-rate", summary: "3GPP TS 38.306 §4.1.2 approximate peak data rate of one NR carrier",
        parameters: [
            ModelParameter("layers", unit: "count", "MIMO layers", valid: ValidRange(1, 8), domain: ValidRange(1, 8),
                           allowedValues: (1...8).map(Double.init)),
            ModelParameter("modulationOrder", unit: "bit/symbol", "Q_m: 2, 4, 6, 8 or 10", valid: ValidRange(2, 10),
                           domain: ValidRange(2, 10), allowedValues: [2, 4, 6, 8, 10]),
            ModelParameter("scalingFactor", unit: "1", "f: 1, 0.8, 0.75 or 0.4", valid: ValidRange(0.4, 1),
                           domain: ValidRange(0.4, 1), allowedValues: [1, 0.8, 0.75, 0.4], requirement: .defaultValue(1)),
            ModelParameter.code("numerology", "µ: subcarrier spacing 15·2^µ kHz", codes: 0...4),
            ModelParameter("resourceBlocks", unit: "count", "N_PRB of the bandwidth", valid: ValidRange(1, 275),
                           domain: ValidRange(1, 275)),
            ModelParameter("overhead", unit: "1", "OH (FR1 DL 0.14, FR2 DL 0.18, FR1 UL 0.08, FR2 UL 0.10)",
                           valid: ValidRange(0, 1, upperExclusive: true), domain: ValidRange(0, 1, upperExclusive: true),
                           requirement: .defaultValue(0.14)),
        ], resultName: "peakRateBitsPerSecond", resultUnit: "bit/s"
    ) { x in
        guard x["resourceBlocks"] == x["resourceBlocks"].rounded() else {
            throw RadioModelError.invalidValue(parameter: "resourceBlocks", value: x["resourceBlocks"], reason: "must be a whole number")
        }
        return PeakRate38306.bitsPerSecond(layers: Int(x["layers"]), modulationOrder: Int(x["modulationOrder"]),
                                           scalingFactor: x["scalingFactor"], numerology: Int(x["numerology"]),
                                           resourceBlocks: Int(x["resourceBlocks"]), overhead: x["overhead"])
    }

    static let hata = RadioModel(
        name: "hata", summary: "Okumura-Hata (≤ 1.5 GHz) / COST-231-Hata (1.5–2 GHz) median path loss, COST 231 §4.4",
        parameters: [
            ModelParameter("distanceMeters", unit: "m", "distance", valid: Hata.distanceRangeMeters, domain: .positive),
            frequency(Hata.frequencyRangeHz),
            ModelParameter("baseHeightMeters", unit: "m", "base-station antenna height", valid: Hata.baseHeightRangeMeters,
                           domain: .positive),
            ModelParameter("mobileHeightMeters", unit: "m", "mobile antenna height", valid: Hata.mobileHeightRangeMeters,
                           domain: .positive, requirement: .defaultValue(1.5)),
            ModelParameter.code("environment", "1 = urban large city, 2 = urban small/medium city, 3 = suburban, 4 = open",
                                codes: 1...4),
        ], resultName: "pathLossDB", resultUnit: "dB"
    ) { x in
        let env: Hata.Environment = [.urbanLarge, .urbanSmallMedium, .suburban, .open][Int(x["environment"]) - 1]
        return try Hata.checkedPathLossDB(distanceMeters: x["distanceMeters"], frequencyHz: x["frequencyHz"],
                                          baseHeightMeters: x["baseHeightMeters"], mobileHeightMeters: x["mobileHeightMeters"],
                                          environment: env, allowExtrapolation: x.allowExtrapolation)
    }
}
