<?php
/**
 * The tracking widget: the [afterglow_tracking] shortcode, the "Order tracking" block, and the script they load.
 *
 * @package Afterglow
 */

defined( 'ABSPATH' ) || exit;

/**
 * Renders <afterglow-tracking>, the web component served by the Afterglow app, pointed at the store's public
 * storefront API. Everything the shopper sees is drawn by the component; this class only writes its tag.
 */
class Afterglow_Widget {

	const HANDLE = 'afterglow-tracking';

	/**
	 * Shortcode, block and script registration (on `init`).
	 */
	public static function register() {
		add_shortcode( 'afterglow_tracking', array( __CLASS__, 'shortcode' ) );
		add_action( 'template_redirect', array( __CLASS__, 'tracking_page' ) );
		wp_register_script( self::HANDLE, self::app_url() . '/static/widgets/afterglow-tracking.js', array(), AFTERGLOW_VERSION, array( 'strategy' => 'defer' ) );
		if ( function_exists( 'register_block_type' ) ) {
			register_block_type( AFTERGLOW_DIR . '/blocks/tracking' );
		}
	}

	/**
	 * [afterglow_tracking number="1234" email="a@b.c" locale="de"]: every attribute optional.
	 *
	 * @param array|string $atts Shortcode attributes.
	 * @return string
	 */
	public static function shortcode( $atts ) {
		$atts = shortcode_atts(
			array(
				'number' => '',
				'email'  => '',
				'locale' => '',
			),
			is_array( $atts ) ? $atts : array(),
			'afterglow_tracking'
		);
		return self::markup( $atts );
	}

	/**
	 * The element itself. `number` and `email` make it look the order up at once (My Account).
	 *
	 * @param array $atts number, email, locale.
	 * @return string
	 */
	public static function markup( array $atts ) {
		wp_enqueue_script( self::HANDLE );
		$locale = '' !== ( $atts['locale'] ?? '' ) ? $atts['locale'] : str_replace( '_', '-', determine_locale() );
		$attributes = array(
			'endpoint' => self::app_url() . '/api/storefront',
			'shop'     => self::shop_domain(),
			'locale'   => $locale,
			'number'   => $atts['number'] ?? '',
			'email'    => $atts['email'] ?? '',
		);
		// The space the widget takes before its script runs, so the page does not move when it appears.
		$html = '<afterglow-tracking style="display:block;min-height:22rem"';
		foreach ( $attributes as $name => $value ) {
			if ( '' !== (string) $value ) {
				$html .= ' ' . $name . '="' . esc_attr( $value ) . '"';
			}
		}
		return $html . '></afterglow-tracking>';
	}

	/**
	 * /afterglow/track/: the page the links in Afterglow's messages open (`?afterglow_token=` opens the order at
	 * once), inside the theme's header and footer, whether or not the merchant made a page with the shortcode.
	 */
	public static function tracking_page() {
		$home = trim( (string) wp_parse_url( home_url(), PHP_URL_PATH ), '/' );
		$path = trim( (string) wp_parse_url( isset( $_SERVER['REQUEST_URI'] ) ? wp_unslash( $_SERVER['REQUEST_URI'] ) : '', PHP_URL_PATH ), '/' ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- compared only.
		if ( trim( $home . '/afterglow/track', '/' ) !== $path ) {
			return;
		}
		status_header( 200 );
		get_header();
		echo '<main class="afterglow-tracking-page">' . self::markup( array() ) . '</main>'; // phpcs:ignore WordPress.Security.EscapeOutput -- escaped in markup().
		get_footer();
		exit;
	}

	/**
	 * The Afterglow app's base URL (Settings › Afterglow), without a trailing slash.
	 *
	 * @return string
	 */
	public static function app_url() {
		return untrailingslashit( (string) get_option( 'afterglow_app_url', 'https://app.afterglow.app' ) );
	}

	/**
	 * How Afterglow names this store: its host, and its path when WordPress lives in a folder.
	 *
	 * @return string
	 */
	public static function shop_domain() {
		$parts = wp_parse_url( home_url() );
		$host  = strtolower( $parts['host'] ?? '' );
		$path  = trim( $parts['path'] ?? '', '/' );
		return '' === $path ? $host : $host . '/' . $path;
	}
}
