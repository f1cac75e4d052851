/// Speed of light in vacuum [m/s] (CODATA, exact).
public let speedOfLightMetersPerSecond = 299_792_458.0
