<?php
/**
 * Settings › Afterglow: where the Afterglow app lives.
 *
 * @package Afterglow
 */

defined( 'ABSPATH' ) || exit;

/**
 * One setting for now: the app's URL, which serves the widget and the storefront API.
 */
class Afterglow_Settings {

	/**
	 * Registers the option (on `admin_init`).
	 */
	public static function register() {
		register_setting(
			'afterglow',
			'afterglow_app_url',
			array(
				'type'              => 'string',
				'sanitize_callback' => 'esc_url_raw',
				'default'           => 'https://app.afterglow.app',
			)
		);
	}

	/**
	 * Adds the page (on `admin_menu`).
	 */
	public static function menu() {
		add_options_page( 'Afterglow', 'Afterglow', 'manage_woocommerce', 'afterglow', array( __CLASS__, 'page' ) );
	}

	/**
	 * The settings page.
	 */
	public static function page() {
		echo '<div class="wrap"><h1>Afterglow</h1><form method="post" action="options.php">';
		settings_fields( 'afterglow' );
		echo '<table class="form-table"><tr><th scope="row"><label for="afterglow_app_url">' . esc_html__( 'Afterglow app URL', 'afterglow' ) . '</label></th>';
		echo '<td><input type="url" class="regular-text" id="afterglow_app_url" name="afterglow_app_url" value="' . esc_attr( Afterglow_Widget::app_url() ) . '">';
		echo '<p class="description">' . esc_html__( 'Put [afterglow_tracking] or the "Order tracking" block on any page to show the tracking form.', 'afterglow' ) . '</p></td></tr></table>';
		submit_button();
		echo '</form>';
		// Connecting hands the store's address to Afterglow, which sends the merchant back here to approve its
		// access with WooCommerce's own key-granting screen (wc-auth).
		$connect = add_query_arg( 'store_url', rawurlencode( home_url( '/' ) ), trailingslashit( Afterglow_Widget::app_url() ) . 'connect/woocommerce' );
		echo '<h2>' . esc_html__( 'Connection', 'afterglow' ) . '</h2>';
		echo '<p><a class="button button-primary" href="' . esc_url( $connect ) . '">' . esc_html__( 'Connect this store to Afterglow', 'afterglow' ) . '</a></p>';
		echo '<form method="post" action="' . esc_url( admin_url( 'admin-post.php' ) ) . '">';
		echo '<input type="hidden" name="action" value="afterglow_open">';
		wp_nonce_field( 'afterglow_open' );
		submit_button( __( 'Open Afterglow', 'afterglow' ), 'secondary', 'submit', false );
		echo '</form></div>';
	}

	/**
	 * "Open Afterglow" (admin-post.php?action=afterglow_open): asks Afterglow for a single-use login link, signed with
	 * the REST key Afterglow was granted at connect time (WooCommerce keeps its consumer secret in its key table),
	 * and sends the merchant there.
	 */
	public static function open() {
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_die( esc_html__( 'You are not allowed to open Afterglow for this store.', 'afterglow' ), 403 );
		}
		check_admin_referer( 'afterglow_open' );
		global $wpdb;
		$secret = $wpdb->get_var( // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- WooCommerce's own key table, read once.
			$wpdb->prepare(
				"SELECT consumer_secret FROM {$wpdb->prefix}woocommerce_api_keys WHERE description LIKE %s ORDER BY key_id DESC LIMIT 1",
				$wpdb->esc_like( 'Afterglow - API' ) . '%'
			)
		);
		if ( ! $secret ) {
			wp_die( esc_html__( 'This store is not connected to Afterglow yet: connect it first.', 'afterglow' ) );
		}
		$body     = self::login_request( Afterglow_Widget::shop_domain(), time() );
		$response = wp_remote_post(
			Afterglow_Widget::app_url() . '/auth/woocommerce/login-link',
			array(
				'headers' => array(
					'Content-Type'          => 'application/json',
					'X-Afterglow-Signature' => self::sign( $body, (string) $secret ),
				),
				'body'    => $body,
				'timeout' => 15,
			)
		);
		$answer = is_wp_error( $response ) ? null : json_decode( wp_remote_retrieve_body( $response ), true );
		if ( 200 !== wp_remote_retrieve_response_code( $response ) || empty( $answer['url'] ) ) {
			wp_die( esc_html__( 'Afterglow could not be opened. Check the app URL and the connection, then try again.', 'afterglow' ) );
		}
		wp_redirect( esc_url_raw( $answer['url'] ) ); // phpcs:ignore WordPress.Security.SafeRedirect -- the Afterglow app, another host.
		exit;
	}

	/**
	 * The body of a login-link request.
	 *
	 * @param string $store     The store's domain as Afterglow names it.
	 * @param int    $timestamp Unix time.
	 * @return string
	 */
	public static function login_request( $store, $timestamp ) {
		return (string) wp_json_encode( array( 'store' => $store, 'timestamp' => (int) $timestamp ) );
	}

	/**
	 * Base64 HMAC-SHA256 of the body with the consumer secret: what Afterglow checks.
	 *
	 * @param string $body   The exact bytes sent.
	 * @param string $secret The REST key's consumer secret.
	 * @return string
	 */
	public static function sign( $body, $secret ) {
		return base64_encode( hash_hmac( 'sha256', $body, $secret, true ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions -- a signature, not obfuscation.
	}
}
